package dev.mver.core.ops;

import dev.mver.core.mlflow.MlflowModel;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.Manifest;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.MverException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MLflow models among a registration's folder artifacts, read from the cache the folder was just hashed into
 * (every read verified against its hash), so the record describes exactly the bytes registered.
 */
final class MlflowArtifacts {
    /** More than any MLmodel or requirements file; a larger one is not read into memory. */
    private static final long MAX_FILE_BYTES = 4L << 20;

    private MlflowArtifacts() {
    }

    /** Each folder artifact holding an {@code MLmodel} file, by its path. */
    static Map<String, MlflowModel> read(ArtifactCache cache, List<ArtifactRef> refs) {
        Map<String, MlflowModel> out = new TreeMap<>();
        for (ArtifactRef ref : refs) {
            if (ref.type() != ArtifactType.DIR) {
                continue;
            }
            String where = ref.path().value();
            Manifest manifest = cache.readManifest(ref.sha256(), where);
            Map<String, Manifest.Entry> top = new HashMap<>();
            manifest.files().forEach(e -> top.put(e.path().value(), e));
            MlflowModel model = MlflowModel.read(name -> {
                Manifest.Entry e = top.get(name);
                if (e == null) {
                    return null;
                }
                if (e.size() > MAX_FILE_BYTES) {
                    throw MverException.usage("%s/%s is larger than %d MiB: not an MLflow model's file", where, name,
                            MAX_FILE_BYTES >> 20);
                }
                return cache.readSmall(e.sha256(), (int) MAX_FILE_BYTES, where + "/" + name);
            }, where);
            if (model != null) {
                out.put(where, model);
            }
        }
        return out;
    }
}
