package dev.mver.core.registry;

import dev.mver.core.MverException;
import dev.mver.core.model.ModelName;
import dev.mver.core.semver.SemVer;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/** A version tag {@code NAME@vX.Y.Z}: the name of a registration in Git. */
public record TagName(ModelName model, SemVer version) {

    /** Parses a tag name, with or without {@code refs/tags/}; null when it is not a version tag. */
    public static TagName parseOrNull(String text) {
        EventTag t = EventTag.parseOrNull(text);
        return t != null && t.kind() == EventTag.Kind.REGISTER ? new TagName(t.model(), t.version()) : null;
    }

    public String shortName() {
        return model.value() + "@" + version.tagForm();
    }

    public String refName() {
        String ref = Constants.R_TAGS + shortName();
        if (!Repository.isValidRefName(ref)) {
            throw MverException.usage("'%s' cannot be a git tag name", shortName());
        }
        return ref;
    }

    @Override
    public String toString() {
        return shortName();
    }
}
