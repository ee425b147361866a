package dev.mver.core.io;

/**
 * Named steps in the store, the registry, push and release where a crash is survivable by design. Production code
 * calls {@link #reached} and nothing happens; a test installs a hook that throws at a chosen step, as a crash
 * there would, and then checks that the repository is consistent (the old state or the new one, plus garbage that
 * {@code gc} removes). The hook is process-wide, so tests that use it must not run beside other tests.
 */
public final class CrashPoints {
    /** Called at every step; throw to simulate a crash there. */
    @FunctionalInterface
    public interface Hook {
        void reached(String step);
    }

    private static volatile Hook hook;

    private CrashPoints() {
    }

    public static void reached(String step) {
        Hook h = hook;
        if (h != null) {
            h.reached(step);
        }
    }

    /** Installs {@code h} until the returned handle is closed. */
    public static AutoCloseable install(Hook h) {
        hook = h;
        return () -> hook = null;
    }
}
