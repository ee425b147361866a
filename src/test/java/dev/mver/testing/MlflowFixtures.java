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
}
