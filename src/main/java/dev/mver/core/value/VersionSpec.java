package dev.mver.core.value;


/**
 * What a user typed to name a version: {@code churn} (the latest release; with {@code includePreRelease} the
 * latest version of all), {@code churn@v1.2.0}, {@code churn@1.2.0}, or {@code churn#production} (whatever is in
 * that stage now).
 */
public record VersionSpec(ModelName model, SemVer version, StageName stage, boolean includePreRelease) {

    public VersionSpec(ModelName model, SemVer version, StageName stage) {
        this(model, version, stage, false);
    }

    public VersionSpec(ModelName model, SemVer version) {
        this(model, version, null);
    }

    /** The same spec, a bare model name meaning its latest version even when that is a pre-release. */
    public VersionSpec withPreReleases(boolean include) {
        return new VersionSpec(model, version, stage, include);
    }

    public static VersionSpec parse(String text) {
        if (text == null || text.isEmpty()) {
            throw MverException.usage("model name is empty");
        }
        int hash = text.indexOf('#');
        if (hash >= 0) {
            return new VersionSpec(ModelName.of(text.substring(0, hash)), null, StageName.of(text.substring(hash + 1)));
        }
        int at = text.indexOf('@');
        if (at < 0) {
            return new VersionSpec(ModelName.of(text), null, null);
        }
        if (text.indexOf('@', at + 1) >= 0) {
            throw MverException.usage("'%s' has more than one '@'", Text.printable(text, 80));
        }
        return new VersionSpec(ModelName.of(text.substring(0, at)), SemVer.parse(text.substring(at + 1)), null);
    }

    public boolean hasVersion() {
        return version != null;
    }

    @Override
    public String toString() {
        return version != null ? model.value() + "@" + version.tagForm()
                : stage != null ? model.value() + "#" + stage : model.value();
    }
}
