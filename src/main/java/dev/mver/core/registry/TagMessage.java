package dev.mver.core.registry;

/** The layout shared by every mver tag message: a summary line, a blank line, a JSON payload. */
final class TagMessage {
    private TagMessage() {
    }

    /** The first line of a reason, cut to fit a summary line. */
    static String summary(String reason) {
        String first = reason == null ? "" : reason.strip().lines().findFirst().orElse("");
        return first.length() > 72 ? first.substring(0, 69) + "..." : first;
    }

    /** The JSON payload of a message, without a trailing signature; null when there is none. */
    static String payloadJson(String message) {
        int start = message.indexOf("\n\n{");
        if (start < 0) {
            return null;
        }
        String json = message.substring(start + 2);
        int sig = json.indexOf("\n-----BEGIN ");
        return sig >= 0 ? json.substring(0, sig + 1) : json;
    }
}
