package dev.mver.core.remote.s3;

import dev.mver.core.config.RemoteConfig;
import dev.mver.core.value.Durations;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An S3 remote as configured: {@code s3://bucket/prefix} and its options, with the time limits from the environment
 * over the remote's options over the defaults (an environment variable is the one-off override, as in git).
 */
record S3Settings(String bucket, String prefix, URI endpoint, String regionOption, boolean pathStyle,
                  String checksum, Duration connectTimeout, Duration readTimeout) {
    static final Set<String> OPTIONS = Set.of("endpoint", "region", "path_style", "checksum", "connect_timeout",
            "read_timeout");
    static final String CONNECT_TIMEOUT_ENV = "MVER_S3_CONNECT_TIMEOUT";
    static final String READ_TIMEOUT_ENV = "MVER_S3_READ_TIMEOUT";
    /** Long enough for a loaded server on a slow link; a server that never answers fails after one read timeout. */
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");

    /** The settings of {@code remote}; exit 2 naming what is malformed. */
    static S3Settings of(RemoteConfig remote, Map<String, String> env) {
        String rest = remote.url().substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
        if (bucket.contains("@") || bucket.contains(":")) {
            throw MverException.usage("credentials never go in a remote url; use AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY or an AWS profile");
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw MverException.usage("'%s' is not a valid bucket name", Text.printable(bucket, 70));
        }
        if (prefix.contains("..") || prefix.contains("//")) {
            throw MverException.usage("s3 prefix must not contain '..' or '//'");
        }
        String region = remote.option("region");
        if (region != null && !REGION.matcher(region).matches()) {
            throw MverException.usage("region '%s' is not valid", Text.printable(region, 40));
        }
        String checksum = remote.option("checksum");
        if (checksum != null && !checksum.equals("sha256") && !checksum.equals("md5")) {
            throw MverException.usage("checksum must be sha256 or md5");
        }
        String pathStyle = remote.option("path_style");
        if (pathStyle != null && !pathStyle.equals("true") && !pathStyle.equals("false")) {
            throw MverException.usage("path_style must be true or false");
        }
        return new S3Settings(bucket, prefix, endpoint(remote.option("endpoint")), region, remote.flag("path_style"),
                checksum,
                timeout(env, CONNECT_TIMEOUT_ENV, remote, "connect_timeout", DEFAULT_CONNECT_TIMEOUT),
                timeout(env, READ_TIMEOUT_ENV, remote, "read_timeout", DEFAULT_READ_TIMEOUT));
    }

    private static URI endpoint(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        try {
            URI e = new URI(endpoint);
            if (e.getScheme() == null || !(e.getScheme().equals("http") || e.getScheme().equals("https"))
                    || e.getHost() == null) {
                throw MverException.usage("endpoint must be an http:// or https:// URL");
            }
            if (e.getUserInfo() != null) {
                throw MverException.usage("endpoint must not contain credentials");
            }
            return e;
        } catch (URISyntaxException ex) {
            throw MverException.usage("endpoint is not a URL: %s", ex.getReason());
        }
    }

    private static Duration timeout(Map<String, String> env, String variable, RemoteConfig remote, String option,
                                    Duration fallback) {
        String fromEnv = env.get(variable);
        Duration d = fromEnv != null && !fromEnv.isBlank() ? Durations.parse(fromEnv, variable)
                : remote.option(option) != null ? Durations.parse(remote.option(option), option) : fallback;
        if (d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
            throw MverException.usage("%s must be between 1s and 1h", fromEnv != null ? variable : option);
        }
        return d;
    }

    /** {@code x-amz-checksum-sha256} on every body (AWS, MinIO). */
    boolean sha256Checksums() {
        return "sha256".equals(checksum);
    }

    /** Content-MD5 on every body, even where a signed payload already carries its SHA-256. */
    boolean md5Always() {
        return "md5".equals(checksum);
    }

    static String show(Duration d) {
        return Durations.show(d);
    }
}
