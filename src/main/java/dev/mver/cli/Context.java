package dev.mver.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** What a command run gets from outside: its writers, environment, clock, working folder, and whether a person watches. */
public record Context(PrintWriter out, PrintWriter err, Map<String, String> env, Clock clock, Path cwd,
                      boolean terminal) {
}
