package dev.mver.cli;

import java.io.File;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * JGit finds the system git config by running {@code git --version} and {@code git config --system} at start-up
 * (two forks, tens of milliseconds). mver reads {@code /etc/gitconfig} directly instead, or nothing when
 * {@code GIT_CONFIG_NOSYSTEM} is set, which is what git itself does.
 */
final class GitSetup {
    private GitSetup() {
    }

    static void avoidSystemConfigProbe() {
        SystemReader base = SystemReader.getInstance();
        SystemReader.setInstance(new SystemReader.Delegate(base) {
            @Override
            public FileBasedConfig openSystemConfig(Config parent, FS fs) {
                String noSystem = getenv("GIT_CONFIG_NOSYSTEM");
                File file = noSystem != null && !noSystem.isEmpty() && !noSystem.equals("0") && !noSystem.equals("false")
                        ? null : new File("/etc/gitconfig");
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
        });
    }
}
