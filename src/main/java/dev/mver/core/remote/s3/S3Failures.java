package dev.mver.core.remote.s3;

import dev.mver.core.remote.RemoteFailure;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * What an S3 failure means to the user (one line naming the remote, and what to change) and whether a retry could
 * fix it. The SDK's own retry conditions are replaced by {@link #retryable}: a retry is spent only on what can pass
 * (a reset connection, a server error, throttling), never on a refusal, a missing bucket or object, absent
 * credentials or a timeout (a server that did not answer in the read timeout is not waited for again).
 */
final class S3Failures {
    private static final Set<String> THROTTLING = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled");

    private final String remote;
    private final String bucket;
    private final String endpoint;
    private final S3Settings settings;
    private final AwsSources.Credentials credentials;

    S3Failures(String remote, String bucket, String endpoint, S3Settings settings, AwsSources.Credentials credentials) {
        this.remote = remote;
        this.bucket = bucket;
        this.endpoint = endpoint;
        this.settings = settings;
        this.credentials = credentials;
    }

    /** Whether the SDK should send the request again. */
    static boolean retryable(Throwable t) {
        if (t instanceof SdkServiceException s) {
            return s.statusCode() >= 500 || throttling(t) || "RequestTimeout".equals(code(s));
        }
        return cause(t, RemoteFailure.class) == null && retryableIo(t);
    }

    static boolean throttling(Throwable t) {
        return t instanceof SdkServiceException s && (s.statusCode() == 429 || s.statusCode() == 503
                || THROTTLING.contains(code(s)));
    }

    /** An I/O failure that another attempt could get past: a connection reset or cut, not a refusal or a timeout. */
    static boolean retryableIo(Throwable t) {
        IOException io = cause(t, IOException.class);
        return io != null && cause(t, SocketTimeoutException.class) == null && cause(t, ConnectException.class) == null
                && cause(t, NoRouteToHostException.class) == null && cause(t, UnknownHostException.class) == null
                && cause(t, SSLException.class) == null;
    }

    private static String code(SdkServiceException e) {
        return e instanceof AwsServiceException a && a.awsErrorDetails() != null
                && a.awsErrorDetails().errorCode() != null ? a.awsErrorDetails().errorCode() : "";
    }

    static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    /** Whether {@code e} says the bucket itself is missing (a missing object is a 404 too). */
    static boolean noSuchBucket(Throwable e) {
        return e instanceof SdkServiceException s && "NoSuchBucket".equals(code(s));
    }

    MverException missingBucket(Throwable cause) {
        return new RemoteFailure("bucket " + bucket + " does not exist at " + endpoint + " (remote " + remote
                + "); check the remote's url and endpoint (mver remote list)", false, cause);
    }

    /** The user's view of any failure the SDK reported. */
    MverException translate(Throwable e) {
        RemoteFailure ours = cause(e, RemoteFailure.class);
        if (ours != null) {
            return ours; // said already where it was found (the credentials chain)
        }
        if (e instanceof SdkServiceException s) {
            if (noSuchBucket(s)) {
                return missingBucket(e);
            }
            String code = code(s);
            String status = "HTTP " + s.statusCode() + (code.isEmpty() ? "" : " " + code);
            if (s.statusCode() == 403 || s.statusCode() == 401) {
                String source = credentials.source();
                // A HEAD answer has no body, so no code to tell a bad key from a missing permission.
                String why = "the credentials from " + source + (code.isEmpty() ? " are not valid there or not "
                        + "allowed to do this" : Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
                        "InvalidToken").contains(code) ? " are not valid there" : " are not allowed to do this");
                return new RemoteFailure(remote + " refused the request (" + status + "): " + why, false, e);
            }
            return new RemoteFailure(remote + " refused the request: " + status, retryable(e), e);
        }
        SocketTimeoutException timeout = cause(e, SocketTimeoutException.class);
        if (timeout != null) {
            boolean connecting = String.valueOf(timeout.getMessage()).toLowerCase(java.util.Locale.ROOT)
                    .contains("connect");
            return new RemoteFailure(connecting
                    ? remote + ": no connection to " + endpoint + " within " + S3Settings.show(settings.connectTimeout())
                    + " (connect timeout; set " + S3Settings.CONNECT_TIMEOUT_ENV + " or the remote's connect_timeout "
                    + "option)"
                    : remote + ": " + endpoint + " did not answer within " + S3Settings.show(settings.readTimeout())
                    + " (read timeout; set " + S3Settings.READ_TIMEOUT_ENV + " or the remote's read_timeout option)",
                    false, e);
        }
        if (cause(e, ConnectException.class) != null) {
            return new RemoteFailure(remote + ": cannot connect to " + endpoint + " (connection refused)", false, e);
        }
        UnknownHostException unknown = cause(e, UnknownHostException.class);
        if (unknown != null) {
            return new RemoteFailure(remote + ": unknown host " + Text.printable(String.valueOf(unknown.getMessage()),
                    80) + " (endpoint " + endpoint + ")", false, e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return new RemoteFailure(remote + " is unavailable: " + Text.printable(message, 160), retryable(e), e);
    }
}
