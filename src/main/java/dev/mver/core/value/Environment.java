package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import java.util.TreeMap;

/** Where a model was registered (or trained, when the metadata file says so): OS, architecture, runtimes. */
@JsonPropertyOrder({"os", "os_version", "arch", "runtimes", "python_packages"})
public record Environment(String os, String osVersion, String arch, Map<String, String> runtimes,
                          Map<String, String> pythonPackages) {
    public Environment {
        runtimes = runtimes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(runtimes));
        pythonPackages = pythonPackages == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new TreeMap<>(pythonPackages));
    }
}
