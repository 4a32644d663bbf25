/* libedit's readline-compatible API (Debian: libedit-dev). The histedit.h
 * calls (el_set, el_get, history) are variadic and unusable from Swift. */
#include <stdio.h>
#include <editline/readline.h>
