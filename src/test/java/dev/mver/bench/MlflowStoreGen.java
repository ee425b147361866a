package dev.mver.bench;

import dev.mver.testing.MlflowFixtures;
import java.nio.file.Path;

/**
 * Writes an MLflow file store for the import benchmark: one registered model with VERSIONS versions, each from its
 * own run (params, a metric over steps, an sklearn model folder of MIB MiB), in MLflow's own layout.
 * Usage: MlflowStoreGen STORE VERSIONS MIB
 */
public final class MlflowStoreGen {
    private MlflowStoreGen() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        int versions = Integer.parseInt(args[1]);
        int bytes = Integer.parseInt(args[2]) << 20;
        long t = 1_698_920_000_000L;
        MlflowFixtures.Store store = new MlflowFixtures.Store(root).experiment("1", "bench", t)
                .registeredModel("bench-model", t, t + versions * 1000L);
        for (int n = 1; n <= versions; n++) {
            String run = String.format("%032x", n);
            MlflowFixtures.Run r = store.run("1", run, t + n * 1000L, "bench").param("lr", "0." + n)
                    .param("n_estimators", String.valueOf(100 + n)).metric("auc", t + n * 1000L + 1, "0.5", 0)
                    .metric("auc", t + n * 1000L + 2, "0." + (500 + n), 1).sklearnModel("model", bytes, n);
            store.version("bench-model", n, r.modelUri("model"), run, n == versions ? "Production"
                    : n == versions - 1 ? "Staging" : "None", t + n * 1000L + 500, t + n * 1000L + 600);
        }
    }
}
