package dev.mver.core.value;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * Any registry tag, in the grammar of iterative/gto so that tools reading GTO registries read ours and we read
 * theirs: {@code NAME@vX.Y.Z} (register), {@code NAME@vX.Y.Z!} (deregister, mver's "deprecate"),
 * {@code NAME@deprecated} (the whole model deprecated), {@code NAME#STAGE#N} (assign, N the model's event number),
 * {@code NAME#STAGE!#N} (unassign) and the numberless {@code NAME#STAGE} of GTO's simple mode.
 */
public record EventTag(Kind kind, ModelName model, SemVer version, StageName stage, Long number) {

    /** The tag's form in GTO's grammar; an assignment is a promotion or a rollback, which only its payload tells. */
    public enum Kind { REGISTER, DEREGISTER, DEPRECATE_MODEL, ASSIGN, UNASSIGN }

    /** Parses a tag name, with or without {@code refs/tags/}; null when it is not a registry tag. */
    public static EventTag parseOrNull(String text) {
        String s = text.startsWith(Constants.R_TAGS) ? text.substring(Constants.R_TAGS.length()) : text;
        int hash = s.indexOf('#');
        if (hash > 0 && s.lastIndexOf('@', hash) > 0) {
            // GTO's counted forms of version and model events: NAME@vX.Y.Z#N, NAME@vX.Y.Z!#N, NAME@deprecated#N.
            EventTag base = parseOrNull(s.substring(0, hash));
            String n = s.substring(hash + 1);
            return base == null || !n.matches("[1-9][0-9]{0,17}") ? null
                    : new EventTag(base.kind, base.model, base.version, null, Long.parseLong(n));
        }
        if (hash > 0) {
            return parseStage(s.substring(0, hash), s.substring(hash + 1));
        }
        int at = s.lastIndexOf('@');
        if (at <= 0 || !ModelName.isValid(s.substring(0, at))) {
            return null;
        }
        ModelName model = ModelName.of(s.substring(0, at));
        String rest = s.substring(at + 1);
        if (rest.equals("deprecated")) {
            return new EventTag(Kind.DEPRECATE_MODEL, model, null, null, null);
        }
        boolean bang = rest.endsWith("!");
        String version = bang ? rest.substring(0, rest.length() - 1) : rest;
        SemVer parsed = version.startsWith("v") && !version.startsWith("vv") ? SemVer.parseOrNull(version) : null;
        if (parsed == null) {
            return null;
        }
        return new EventTag(bang ? Kind.DEREGISTER : Kind.REGISTER, model, parsed, null, null);
    }

    private static EventTag parseStage(String name, String rest) {
        if (!ModelName.isValid(name)) {
            return null;
        }
        String[] parts = rest.split("#", -1);
        if (parts.length > 2) {
            return null;
        }
        String stage = parts[0];
        boolean bang = stage.endsWith("!");
        if (bang) {
            stage = stage.substring(0, stage.length() - 1);
        }
        if (!StageName.isValid(stage)) {
            return null;
        }
        Long number = null;
        if (parts.length == 2) {
            if (!parts[1].matches("[1-9][0-9]{0,17}")) {
                return null;
            }
            number = Long.parseLong(parts[1]);
        }
        return new EventTag(bang ? Kind.UNASSIGN : Kind.ASSIGN, ModelName.of(name), null, StageName.of(stage), number);
    }

    public static EventTag register(ModelName model, SemVer version) {
        return new EventTag(Kind.REGISTER, model, version, null, null);
    }

    public static EventTag deregister(ModelName model, SemVer version) {
        return new EventTag(Kind.DEREGISTER, model, version, null, null);
    }

    public static EventTag assign(ModelName model, StageName stage, long number) {
        return new EventTag(Kind.ASSIGN, model, null, stage, number);
    }

    public static EventTag unassign(ModelName model, StageName stage, long number) {
        return new EventTag(Kind.UNASSIGN, model, null, stage, number);
    }

    public String shortName() {
        return switch (kind) {
            case REGISTER -> model + "@" + version.tagForm() + (number == null ? "" : "#" + number);
            case DEREGISTER -> model + "@" + version.tagForm() + "!" + (number == null ? "" : "#" + number);
            case DEPRECATE_MODEL -> model + "@deprecated" + (number == null ? "" : "#" + number);
            case ASSIGN -> model + "#" + stage + (number == null ? "" : "#" + number);
            case UNASSIGN -> model + "#" + stage + "!" + (number == null ? "" : "#" + number);
        };
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
