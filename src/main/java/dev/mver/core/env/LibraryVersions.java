package dev.mver.core.env;

import dev.mver.core.value.Environment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a record's declared {@code library_versions} and the packages of the interpreter it recorded tell the
 * same story: the pins a training script's requirements name against what that Python has installed.
 */
public final class LibraryVersions {
    private LibraryVersions() {
    }

    /** The disagreement in one line, or null when there is none (or nothing to compare). */
    public static String disagreement(Map<String, String> declared, Environment environment) {
        if (environment == null || environment.pythonPackages().isEmpty() || declared.isEmpty()) {
            return null;
        }
        List<String> differ = new ArrayList<>();
        declared.forEach((name, spec) -> {
            if (spec == null || spec.isEmpty() || !Character.isDigit(spec.charAt(0))) {
                return; // a range or a URL: nothing exact to compare
            }
            String installed = environment.pythonPackages().get(normal(name));
            if (installed == null) {
                differ.add(name + " " + spec + " declared, not installed");
            } else if (!installed.equals(spec)) {
                differ.add(name + " " + spec + " declared, " + installed + " installed");
            }
        });
        if (differ.isEmpty()) {
            return null;
        }
        String python = environment.runtimes().getOrDefault("python.interpreter", "python3");
        String chosenBy = environment.runtimes().get("python.chosen_by");
        return "library_versions and the packages of " + python + (chosenBy == null ? "" : " (chosen by " + chosenBy
                + ")") + " disagree: " + String.join("; ", differ.subList(0, Math.min(5, differ.size())))
                + (differ.size() > 5 ? "; and " + (differ.size() - 5) + " more" : "") + ". The record keeps both "
                + "(library_versions as declared, environment.python_packages as installed); if another "
                + "interpreter trained the model, register with --python PATH or MVER_PYTHON";
    }

    /** A distribution name as the probe writes it (PEP 503: lower case, runs of '-', '_', '.' as '-'). */
    static String normal(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }
}
