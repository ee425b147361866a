package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.config.PolicyConfig;
import dev.mver.core.io.AtomicFiles;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;

/**
 * Installs mver's hooks ({@code pre-commit} and {@code pre-merge-commit}: the policy; {@code pre-push}: objects
 * before refs; {@code
 * post-checkout}, {@code post-merge}, {@code post-rewrite}: artifacts follow their pointers) into the
 * repository's hooks folder ({@code core.hooksPath} when set). A hook that is already there and is not mver's is
 * kept, renamed to {@code NAME.mver-chained}, and run first by ours; nothing is overwritten silently, and
 * uninstalling puts it back.
 */
public final class HookInstaller {
    public static final List<String> HOOKS = List.of("pre-commit", "pre-merge-commit", "pre-push", "post-checkout",
            "post-merge", "post-rewrite");
    /** Hooks installed from another hook's shipped script, which tells them apart by the name it runs under. */
    private static final Map<String, String> SCRIPT_OF = Map.of("pre-merge-commit", "pre-commit",
            "post-merge", "post-checkout", "post-rewrite", "post-checkout");

    private final Repository repo;

    public HookInstaller(Repository repo) {
        this.repo = repo;
    }

    /** Installs or updates every hook mver ships. */
    public List<Result> installAll(String command, PolicyConfig policy) {
        return HOOKS.stream().map(h -> install(h, command, policy)).toList();
    }

    /** Removes every hook of mver's that is installed, restoring what each chained. */
    public List<Result> uninstallAll() {
        List<Result> out = new java.util.ArrayList<>();
        for (String h : HOOKS) {
            if (Files.exists(hooksDir().resolve(h), LinkOption.NOFOLLOW_LINKS) || h.equals("pre-commit")) {
                out.add(uninstall(h));
            }
        }
        return out;
    }

    @JsonPropertyOrder({"action", "hook", "chained"})
    public record Result(String action, String hook, String chained) {
    }

    public Path hooksDir() {
        String configured = repo.getConfig().getString("core", null, "hooksPath");
        if (configured == null || configured.isBlank()) {
            return repo.getCommonDirectory().toPath().resolve("hooks"); // shared by linked work trees, as in git
        }
        Path p = Path.of(configured.startsWith("~/") ? System.getProperty("user.home") + configured.substring(1)
                : configured);
        return p.isAbsolute() ? p : repo.getWorkTree().toPath().resolve(p).normalize();
    }

    /**
     * Installs or updates the hook; {@code command} is how the hook starts mver when {@code $MVER} is unset: a shell
     * command line, its words quoted ({@link #shellQuote}).
     */
    public Result install(String name, String command, PolicyConfig policy) {
        Path dir = hooksDir();
        Path hook = dir.resolve(name);
        Path chained = dir.resolve(name + ".mver-chained");
        String script = render(name, command, policy);
        try {
            Files.createDirectories(dir);
            String action = "installed";
            if (Files.exists(hook, LinkOption.NOFOLLOW_LINKS)) {
                if (isOurs(hook, name)) {
                    action = "updated";
                } else {
                    if (Files.exists(chained, LinkOption.NOFOLLOW_LINKS)) {
                        throw new MverException(ExitCode.CONFLICT, "both " + hook + " and " + chained
                                + " exist; merge them by hand, then run 'mver hook install' again");
                    }
                    Files.move(hook, chained);
                    action = "chained";
                }
            }
            AtomicFiles.write(hook, script.getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new Result(action, hook.toString(),
                    Files.exists(chained, LinkOption.NOFOLLOW_LINKS) ? chained.toString() : null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the hook in " + dir + ": " + e.getMessage(), e);
        }
    }

    public Result uninstall(String name) {
        Path dir = hooksDir();
        Path hook = dir.resolve(name);
        Path chained = dir.resolve(name + ".mver-chained");
        try {
            if (!Files.exists(hook, LinkOption.NOFOLLOW_LINKS)) {
                throw MverException.notFound("no %s hook in %s", name, dir);
            }
            if (!isOurs(hook, name)) {
                throw MverException.conflict("%s is not mver's hook; left it alone", hook);
            }
            Files.delete(hook);
            if (Files.exists(chained, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(chained, hook);
                return new Result("restored", hook.toString(), null);
            }
            return new Result("removed", hook.toString(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot uninstall the hook in " + dir + ": " + e.getMessage(), e);
        }
    }

    static boolean isOurs(Path hook, String name) throws IOException {
        if (Files.isSymbolicLink(hook) || !Files.isRegularFile(hook) || Files.size(hook) > 64 * 1024) {
            return false;
        }
        return Files.readString(hook, StandardCharsets.ISO_8859_1).lines().limit(3)
                .anyMatch(("# mver-hook: " + name)::equals);
    }

    /** The shipped hook with this repository's settings filled in. */
    static String render(String name, String command, PolicyConfig policy) {
        String file = SCRIPT_OF.getOrDefault(name, name);
        String template;
        try (InputStream in = HookInstaller.class.getResourceAsStream("/dev/mver/hooks/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the " + name + " hook is missing from mver's jar");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = new StringBuilder();
        for (String line : template.split("\n", -1)) {
            if (line.equals("# mver-hook: " + file)) {
                line = "# mver-hook: " + name;
            } else if (line.startsWith("MVER_DEFAULT=")) {
                line = "MVER_DEFAULT=" + shellQuote(command);
            } else if (line.startsWith("MVER_NAME_REGEX=")) {
                line = "MVER_NAME_REGEX=" + shellQuote(nameRegex(policy.patterns()));
            } else if (line.startsWith("MVER_MAX_BYTES=")) {
                line = "MVER_MAX_BYTES=" + policy.threshold();
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /** The model patterns as one awk regular expression over lower-cased paths. */
    static String nameRegex(List<String> globs) {
        StringBuilder sb = new StringBuilder("(^|/)(");
        for (int i = 0; i < globs.size(); i++) {
            sb.append(i == 0 ? "" : "|").append(globToRegex(globs.get(i).toLowerCase(java.util.Locale.ROOT)));
        }
        return sb.append(")$").toString();
    }

    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append("[^/]*");
                case '?' -> sb.append("[^/]");
                case '[', ']' -> sb.append(c);
                default -> {
                    if ("\\.^$|()+{}/".indexOf(c) >= 0) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /** {@code s} as one word of a POSIX shell command line. */
    public static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
