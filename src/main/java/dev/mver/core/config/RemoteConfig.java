package dev.mver.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One artifact remote as committed in {@code .mver/config.json}: a folder (shared disk, NFS) or S3-compatible
 * object storage. Never holds credentials: those come from the standard AWS sources at run time.
 */
@JsonPropertyOrder({"url", "endpoint", "region", "path_style", "checksum"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemoteConfig(String url, String endpoint, String region, Boolean pathStyle, String checksum) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");

    public RemoteConfig {
        requireClean("url", url);
        requireClean("endpoint", endpoint);
        requireClean("region", region);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("remote url is empty");
        }
        if (isS3(url)) {
            parseS3(url);
        } else if (url.contains("://") && !url.startsWith("file://")) {
            throw new IllegalArgumentException("unsupported remote url '" + Text.printable(url, 80)
                    + "' (use s3://bucket/prefix or a folder path)");
        }
        if (endpoint != null) {
            try {
                URI e = new URI(endpoint);
                if (e.getScheme() == null || !(e.getScheme().equals("http") || e.getScheme().equals("https"))
                        || e.getHost() == null) {
                    throw new IllegalArgumentException("endpoint must be an http:// or https:// URL");
                }
                if (e.getUserInfo() != null) {
                    throw new IllegalArgumentException("endpoint must not contain credentials");
                }
            } catch (URISyntaxException ex) {
                throw new IllegalArgumentException("endpoint is not a URL: " + ex.getReason());
            }
        }
        if (region != null && !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region '" + Text.printable(region, 40) + "' is not valid");
        }
        if (checksum != null && !checksum.equals("sha256") && !checksum.equals("md5")) {
            throw new IllegalArgumentException("checksum must be sha256 or md5");
        }
        if (!isS3(url) && (endpoint != null || region != null || pathStyle != null || checksum != null)) {
            throw new IllegalArgumentException("endpoint, region, path_style and checksum apply to s3:// remotes only");
        }
    }

    public static void requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("remote name '" + Text.printable(name, 40)
                    + "' is not valid (letters, digits, '-', '_')");
        }
    }

    private static void requireClean(String what, String value) {
        if (value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException(what + " contains a control character (CR, LF, NUL...)");
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isS3() {
        return isS3(url);
    }

    static boolean isS3(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("s3://");
    }

    /** Bucket and key prefix of an s3:// url (prefix without slashes at either end, possibly empty). */
    public record S3Location(String bucket, String prefix) {
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public S3Location s3() {
        return parseS3(url);
    }

    static S3Location parseS3(String url) {
        String rest = url.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("^/+|/+$", "");
        if (bucket.contains("@") || bucket.contains(":")) {
            throw new IllegalArgumentException("credentials never go in a remote url; use AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY or an AWS profile");
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("'" + Text.printable(bucket, 70) + "' is not a valid bucket name");
        }
        if (prefix.contains("..") || prefix.contains("//")) {
            throw new IllegalArgumentException("s3 prefix must not contain '..' or '//'");
        }
        return new S3Location(bucket, prefix);
    }
}
