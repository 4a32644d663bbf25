/* libyaml's event parser (Debian: libyaml-dev, pkg-config yaml-0.1). BoxLessons
 * composes lesson files from its events (YAMLComposer.swift). */
#include <yaml.h>
