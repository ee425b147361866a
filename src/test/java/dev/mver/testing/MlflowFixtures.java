package dev.mver.testing;

import java.nio.file.Path;

/**
 * MLflow's files as MLflow 2.x writes them (read from mlflow/models/model.py, mlflow/utils/environment.py and
 * mlflow/store/*&#47;file_store.py): YAML through {@code yaml.safe_dump} with sorted keys and block style, so every
 * key, type and quoting here is what a real store holds.
 */
public final class MlflowFixtures {
    private MlflowFixtures() {
    }

    /**
     * A model folder as {@code mlflow.sklearn.save_model} leaves it: MLmodel, the pickled model (random bytes of
     * {@code modelBytes}), the three environment files and an input example.
     */
    public static Path sklearnModel(Path folder, int modelBytes, int seed, String sklearnVersion, String runId) {
        Files2.write(folder.resolve("MLmodel"), String.join("\n",
                "artifact_path: model",
                "flavors:",
                "  python_function:",
                "    env:",
                "      conda: conda.yaml",
                "      virtualenv: python_env.yaml",
                "    loader_module: mlflow.sklearn",
                "    model_path: model.pkl",
                "    predict_fn: predict",
                "    python_version: 3.10.12",
                "  sklearn:",
                "    code: null",
                "    pickled_model: model.pkl",
                "    serialization_format: cloudpickle",
                "    sklearn_version: " + sklearnVersion,
                "mlflow_version: 2.8.0",
                "model_size_bytes: " + (modelBytes + 700),
                "model_uuid: 7b1c4b1bd1d04b3a9b5a0e7b9a3f5c1" + (seed % 10),
                "run_id: " + runId,
                "saved_input_example_info:",
                "  artifact_path: input_example.json",
                "  pandas_orient: split",
                "  type: dataframe",
                "signature:",
                "  inputs: '[{\"type\": \"double\", \"name\": \"tenure\", \"required\": true}, {\"type\": \"double\",",
                "    \"name\": \"monthly_charges\", \"required\": true}]'",
                "  outputs: '[{\"type\": \"long\", \"required\": true}]'",
                "  params: null",
                "utc_time_created: '2023-11-02 10:15:42.123456'",
                ""));
        Files2.random(folder.resolve("model.pkl"), modelBytes, seed);
        Files2.write(folder.resolve("conda.yaml"), String.join("\n",
                "channels:",
                "- conda-forge",
                "dependencies:",
                "- python=3.10.12",
                "- pip<=23.3.1",
                "- pip:",
                "  - mlflow==2.8.0",
                "  - cloudpickle==2.2.1",
                "  - scikit-learn==" + sklearnVersion,
                "name: mlflow-env",
                ""));
        Files2.write(folder.resolve("python_env.yaml"), String.join("\n",
                "build_dependencies:",
                "- pip==23.3.1",
                "- setuptools==68.0.0",
                "- wheel==0.41.2",
                "dependencies:",
                "- -r requirements.txt",
                "python: 3.10.12",
                ""));
        Files2.write(folder.resolve("requirements.txt"), String.join("\n",
                "mlflow==2.8.0",
                "cloudpickle==2.2.1",
                "scikit-learn==" + sklearnVersion,
                ""));
        Files2.write(folder.resolve("input_example.json"),
                "{\"columns\": [\"tenure\", \"monthly_charges\"], \"data\": [[12.0, 70.35], [3.0, 29.85]]}");
        return folder;
    }

    /**
     * An MLflow file store as the tracking and registry file stores write it: {@code .trash/}, the default
     * experiment {@code 0}, runs with their params, metric lines and tags, and the registry under {@code models/}.
     */
    public static final class Store {
        private final Path root;

        public Store(Path root) {
            this.root = root;
            Files2.mkdirs(root.resolve(".trash"));
            Files2.mkdirs(root.resolve("models"));
            experiment("0", "Default", 1_698_900_000_000L);
        }

        public Path root() {
            return root;
        }

        public Store experiment(String id, String name, long created) {
            Files2.write(root.resolve(id).resolve("meta.yaml"), String.join("\n",
                    "artifact_location: " + root.resolve(id).toUri().toString().replaceAll("/$", ""),
                    "creation_time: " + created,
                    "experiment_id: '" + id + "'",
                    "last_update_time: " + created,
                    "lifecycle_stage: active",
                    "name: " + name,
                    ""));
            return this;
        }

        /** Moves an experiment to {@code .trash}, as {@code mlflow experiments delete} does. */
        public Store deleteExperiment(String id) {
            Path from = root.resolve(id);
            Path meta = from.resolve("meta.yaml");
            Files2.write(meta, Files2.read(meta).replace("lifecycle_stage: active", "lifecycle_stage: deleted"));
            Files2.move(from, root.resolve(".trash").resolve(id));
            return this;
        }

        /** A finished run by {@code user} that started at {@code start} (epoch ms). */
        public Run run(String experimentId, String runId, long start, String user) {
            Path dir = root.resolve(experimentId).resolve(runId);
            Files2.write(dir.resolve("meta.yaml"), String.join("\n",
                    "artifact_uri: " + dir.resolve("artifacts").toUri().toString().replaceAll("/$", ""),
                    "deleted_time: null",
                    "end_time: " + (start + 42_000),
                    "entry_point_name: ''",
                    "experiment_id: '" + experimentId + "'",
                    "lifecycle_stage: active",
                    "run_id: " + runId,
                    "run_name: bold-cat-" + runId.substring(0, 4),
                    "run_uuid: " + runId,
                    "source_name: ''",
                    "source_type: 4",
                    "source_version: ''",
                    "start_time: " + start,
                    "status: 3",
                    "tags: []",
                    "user_id: " + user,
                    ""));
            Files2.mkdirs(dir.resolve("metrics"));
            Files2.mkdirs(dir.resolve("params"));
            Files2.mkdirs(dir.resolve("artifacts"));
            Run run = new Run(dir);
            run.tag("mlflow.runName", "bold-cat-" + runId.substring(0, 4)).tag("mlflow.user", user)
                    .tag("mlflow.source.name", "train.py").tag("mlflow.source.type", "LOCAL");
            return run;
        }

        /** A registered model created at {@code created}, last changed at {@code updated}. */
        public Store registeredModel(String name, long created, long updated) {
            Files2.write(root.resolve("models").resolve(name).resolve("meta.yaml"), String.join("\n",
                    "aliases: {}",
                    "creation_timestamp: " + created,
                    "description: null",
                    "last_updated_timestamp: " + updated,
                    "name: " + name,
                    ""));
            return this;
        }

        /** Version {@code n} of {@code name} from {@code source} (a URI), in {@code stage} since {@code updated}. */
        public Store version(String name, int n, String source, String runId, String stage, long created,
                             long updated) {
            Files2.write(root.resolve("models").resolve(name).resolve("version-" + n).resolve("meta.yaml"),
                    String.join("\n",
                            "aliases: []",
                            "creation_timestamp: " + created,
                            "current_stage: " + stage,
                            "description: ''",
                            "last_updated_timestamp: " + updated,
                            "name: " + name,
                            "run_id: " + runId,
                            "run_link: ''",
                            "source: " + source,
                            "status: READY",
                            "status_message: null",
                            "storage_location: " + source,
                            "user_id: ''",
                            "version: " + n,
                            ""));
            return this;
        }

        public Store alias(String name, String alias, int version) {
            Files2.write(root.resolve("models").resolve(name).resolve("aliases").resolve(alias), String.valueOf(version));
            return this;
        }

        public Store modelTag(String name, String key, String value) {
            Files2.write(root.resolve("models").resolve(name).resolve("tags").resolve(key), value);
            return this;
        }
    }

    /** A run's folder: params, metric lines, tags and the model it logged. */
    public static final class Run {
        private final Path dir;

        Run(Path dir) {
            this.dir = dir;
        }

        public Path dir() {
            return dir;
        }

        public String modelUri(String artifactPath) {
            return dir.resolve("artifacts").resolve(artifactPath).toUri().toString().replaceAll("/$", "");
        }

        public Run param(String key, String value) {
            Files2.write(dir.resolve("params").resolve(key), value);
            return this;
        }

        /** One logged value, appended as MLflow's file store appends it: "timestamp value step". */
        public Run metric(String key, long timestamp, String value, long step) {
            Path f = dir.resolve("metrics").resolve(key);
            String before = java.nio.file.Files.exists(f) ? Files2.read(f) : "";
            Files2.write(f, before + timestamp + " " + value + " " + step + "\n");
            return this;
        }

        public Run tag(String key, String value) {
            Files2.write(dir.resolve("tags").resolve(key), value);
            return this;
        }

        /** The model {@code mlflow.sklearn.log_model(..., artifact_path)} leaves in the run's artifacts. */
        public Run sklearnModel(String artifactPath, int bytes, int seed) {
            MlflowFixtures.sklearnModel(dir.resolve("artifacts").resolve(artifactPath), bytes, seed, "1.3.0",
                    dir.getFileName().toString());
            return this;
        }

        /** Marks the run deleted, as {@code mlflow runs delete} does (it stays in place). */
        public Run delete(long when) {
            Path meta = dir.resolve("meta.yaml");
            Files2.write(meta, Files2.read(meta).replace("lifecycle_stage: active", "lifecycle_stage: deleted")
                    .replace("deleted_time: null", "deleted_time: " + when));
            return this;
        }
    }
}
