package dev.mver.cli;

import java.io.File;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Makes JGit find the configuration git finds, once per process, without starting anything:
 * <ul>
 * <li>the system config: JGit runs {@code git --version} and {@code git config --system} at start-up to locate it
 * (two forks, tens of milliseconds); mver reads {@code /etc/gitconfig} directly, or nothing when
 * {@code GIT_CONFIG_NOSYSTEM} is set, as git does;</li>
 * <li>the home folder: git takes it from {@code $HOME}, JGit from the JVM's {@code user.home} (the password
 * database's entry, whatever {@code HOME} says), so a {@code HOME} set for a CI job or a sandbox was missed;</li>
 * <li>the global config: {@code GIT_CONFIG_GLOBAL} names the one file git reads instead of {@code ~/.gitconfig}
 * and {@code $XDG_CONFIG_HOME/git/config}; JGit ignores it.</li>
 * </ul>
 */
final class GitSetup {
    private GitSetup() {
    }

    static void install() {
        SystemReader base = SystemReader.getInstance();
        SystemReader.setInstance(new SystemReader.Delegate(base) {
            @Override
            public String getProperty(String key) {
                // FS.userHome() asks for this property; everything JGit reads from the home folder follows it.
                if (key.equals("user.home")) {
                    String home = getenv("HOME");
                    if (home != null && !home.isEmpty()) {
                        return home;
                    }
                }
                return super.getProperty(key);
            }

            @Override
            public FileBasedConfig openSystemConfig(Config parent, FS fs) {
                return regularFileOrNothing(parent, isSet(getenv("GIT_CONFIG_NOSYSTEM")) ? null
                        : new File("/etc/gitconfig"), fs);
            }

            @Override
            public FileBasedConfig openUserConfig(Config parent, FS fs) {
                String global = getenv("GIT_CONFIG_GLOBAL");
                if (global == null) {
                    return super.openUserConfig(parent, fs);
                }
                return regularFileOrNothing(parent, global.isEmpty() ? null : new File(global), fs);
            }
        });
    }

    private static boolean isSet(String flag) {
        return flag != null && !flag.isEmpty() && !flag.equals("0") && !flag.equals("false");
    }

    /**
     * A config read from {@code file} when it is a regular file, and empty otherwise: missing, {@code /dev/null}
     * (the usual way to say "none"), or a FIFO or device that a read would hang on or never finish.
     */
    private static FileBasedConfig regularFileOrNothing(Config parent, File file, FS fs) {
        return new FileBasedConfig(parent, file, fs) {
            @Override
            public void load() throws java.io.IOException, org.eclipse.jgit.errors.ConfigInvalidException {
                if (getFile() != null && getFile().isFile()) {
                    super.load();
                }
            }

            @Override
            public boolean isOutdated() {
                return getFile() != null && super.isOutdated();
            }
        };
    }
}
