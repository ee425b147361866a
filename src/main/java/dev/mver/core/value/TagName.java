package dev.mver.core.value;



/** A version tag {@code NAME@vX.Y.Z}: the name of a registration in Git. */
public record TagName(ModelName model, SemVer version) {
    /** Written out, as {@link SemVer#hashCode}. */
    @Override
    public int hashCode() {
        return model.hashCode() * 31 + version.hashCode();
    }

    /** Parses a tag name, with or without {@code refs/tags/}; null when it is not a version tag. */
    public static TagName parseOrNull(String text) {
        EventTag t = EventTag.parseOrNull(text);
        // A counted registration (GTO's NAME@vX.Y.Z#N) is an event of that version, not its name.
        return t != null && t.kind() == EventTag.Kind.REGISTER && t.number() == null
                ? new TagName(t.model(), t.version()) : null;
    }

    private EventTag asEvent() {
        return EventTag.register(model, version);
    }

    public String shortName() {
        return asEvent().shortName();
    }

    public String refName() {
        return asEvent().refName();
    }

    @Override
    public String toString() {
        return shortName();
    }
}
