package dev.mver.core.registry;

import dev.mver.core.MverException;
import dev.mver.core.model.ModelName;
import dev.mver.core.semver.SemVer;

/** What a user typed to name a version: {@code churn}, {@code churn@v1.2.0} or {@code churn@1.2.0}. */
public record VersionSpec(ModelName model, SemVer version) {

    public static VersionSpec parse(String text) {
        if (text == null || text.isEmpty()) {
            throw MverException.usage("model name is empty");
        }
        int at = text.indexOf('@');
        if (at < 0) {
            return new VersionSpec(ModelName.of(text), null);
        }
        if (text.indexOf('@', at + 1) >= 0) {
            throw MverException.usage("'%s' has more than one '@'", text);
        }
        return new VersionSpec(ModelName.of(text.substring(0, at)), SemVer.parse(text.substring(at + 1)));
    }

    public boolean hasVersion() {
        return version != null;
    }

    @Override
    public String toString() {
        return version == null ? model.value() : model.value() + "@" + version.tagForm();
    }
}
