import BoxShell

// Thin entry point: everything lives in BoxShell so the REPL shares the CLI's
// command tree.
BoxlabMain.main()
