package dev.mver.core.remote.s3;

import dev.mver.core.remote.RemoteFailure;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Where the AWS CLI and the SDKs look for a region and for credentials, read from the environment mver was started
 * with (not the JVM's own, so the core serves any caller): environment variables, then the profile files. Each
 * answer says where it came from, so a refusal can name the source to fix, never the secret.
 */
final class AwsSources {
    static final String DEFAULT_REGION = "us-east-1";
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");

    private final Map<String, String> env;

    AwsSources(Map<String, String> env) {
        this.env = env;
    }

    /** A value and where it was found, in the words the user would use to change it. */
    record Sourced<T>(T value, String source) {
    }

    /**
     * The remote's own {@code region} option, else {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, the profile's
     * {@code region}, else us-east-1 (the SDK's chain, plus the variable the AWS CLI reads; not the EC2 metadata
     * service, which costs seconds off EC2).
     */
    Sourced<String> region(String configured) {
        if (configured != null) {
            return new Sourced<>(configured, "the remote's region option");
        }
        for (String name : List.of("AWS_REGION", "AWS_DEFAULT_REGION")) {
            String v = get(name);
            if (v != null) {
                return new Sourced<>(valid(v, name), name);
            }
        }
        Optional<Profile> profile = profile();
        Optional<String> region = profile.flatMap(p -> p.property("region"));
        if (region.isPresent()) {
            return new Sourced<>(valid(region.get(), "region"), "the region of profile '" + profileName() + "' in "
                    + configFile());
        }
        return new Sourced<>(DEFAULT_REGION, "the default");
    }

    private static String valid(String region, String source) {
        if (!REGION.matcher(region).matches()) {
            throw MverException.usage("%s '%s' is not a valid AWS region", source, Text.printable(region, 40));
        }
        return region;
    }

    private String get(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private String profileName() {
        String p = get("AWS_PROFILE");
        return p != null ? p : get("AWS_DEFAULT_PROFILE") != null ? get("AWS_DEFAULT_PROFILE") : "default";
    }

    private boolean profileNamed() {
        return get("AWS_PROFILE") != null || get("AWS_DEFAULT_PROFILE") != null;
    }

    private Path home() {
        String home = get("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"));
    }

    Path configFile() {
        String f = get("AWS_CONFIG_FILE");
        return f != null ? Path.of(f) : home().resolve(".aws/config");
    }

    Path credentialsFile() {
        String f = get("AWS_SHARED_CREDENTIALS_FILE");
        return f != null ? Path.of(f) : home().resolve(".aws/credentials");
    }

    /** Both profile files as the SDK merges them (credentials file over config file); empty when neither exists. */
    private ProfileFile profiles() {
        ProfileFile.Aggregator all = ProfileFile.aggregator();
        read(all, configFile(), ProfileFile.Type.CONFIGURATION);
        read(all, credentialsFile(), ProfileFile.Type.CREDENTIALS);
        return all.build();
    }

    private static void read(ProfileFile.Aggregator all, Path file, ProfileFile.Type type) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            all.addFile(ProfileFile.builder().content(file).type(type).build());
        } catch (RuntimeException e) {
            throw MverException.usage("cannot read AWS profile file %s: %s", file, Text.printable(
                    String.valueOf(e.getMessage()), 160));
        }
    }

    private Optional<Profile> profile() {
        return profiles().profile(profileName());
    }

    /**
     * The credentials chain for {@code remote} (named in its failures); it resolves on the first request, so
     * commands that send none never look.
     */
    Credentials credentials(String remote) {
        return new Credentials(remote);
    }

    /**
     * The SDK's default order with the environment mver was given: {@code AWS_ACCESS_KEY_ID} and
     * {@code AWS_SECRET_ACCESS_KEY}; a profile named by {@code AWS_PROFILE} (which must then exist, as the AWS CLI
     * insists); the JVM's {@code aws.accessKeyId} properties; the default profile; a container's or an EC2
     * instance's role. The first source that answers is kept for the life of the remote.
     */
    final class Credentials implements AwsCredentialsProvider {
        private final String remote;
        private volatile Sourced<AwsCredentialsProvider> chosen;

        private Credentials(String remote) {
            this.remote = remote;
        }

        /** No credentials from any source, or a named source that failed: one line, with how to fix it; final. */
        private RemoteFailure unavailable(String message) {
            return new RemoteFailure(remote + ": " + message, false, null);
        }

        @Override
        public AwsCredentials resolveCredentials() {
            Sourced<AwsCredentialsProvider> c = chosen;
            if (c == null) {
                synchronized (this) {
                    if (chosen == null) {
                        chosen = choose();
                    }
                    c = chosen;
                }
            }
            try {
                return c.value().resolveCredentials();
            } catch (RuntimeException e) {
                throw unavailable("cannot get AWS credentials from " + c.source() + ": " + Text.printable(
                        String.valueOf(e.getMessage()), 160));
            }
        }

        /** Where the credentials in use came from (null before the first request). */
        String source() {
            Sourced<AwsCredentialsProvider> c = chosen;
            return c == null ? null : c.source();
        }

        private Sourced<AwsCredentialsProvider> choose() {
            String id = get("AWS_ACCESS_KEY_ID");
            String secret = get("AWS_SECRET_ACCESS_KEY");
            if (id != null || secret != null) {
                if (id == null || secret == null) {
                    throw unavailable((id == null ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
                            : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not") + "; set both, or neither "
                            + "and use AWS_PROFILE");
                }
                String token = get("AWS_SESSION_TOKEN");
                AwsCredentials keys = token == null ? AwsBasicCredentials.create(id, secret)
                        : AwsSessionCredentials.create(id, secret, token);
                return new Sourced<>(StaticCredentialsProvider.create(keys), "AWS_ACCESS_KEY_ID");
            }
            ProfileFile files = profiles();
            if (profileNamed()) {
                if (files.profile(profileName()).isEmpty()) {
                    throw unavailable("AWS profile '" + Text.printable(profileName(), 60) + "' (AWS_PROFILE) is in "
                            + "neither " + credentialsFile() + " nor " + configFile() + "; add it (aws configure "
                            + "--profile NAME) or unset AWS_PROFILE");
                }
                return profileCredentials(files);
            }
            if (System.getProperty("aws.accessKeyId") != null) {
                return new Sourced<>(SystemPropertyCredentialsProvider.create(), "the aws.accessKeyId system property");
            }
            if (files.profile(profileName()).isPresent()) {
                return profileCredentials(files);
            }
            if (get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != null
                    || get("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
                return new Sourced<>(ContainerCredentialsProvider.create(), "the container's role");
            }
            if (!"true".equalsIgnoreCase(get("AWS_EC2_METADATA_DISABLED"))) {
                InstanceProfileCredentialsProvider instance = InstanceProfileCredentialsProvider.create();
                try {
                    instance.resolveCredentials();
                    return new Sourced<>(instance, "the EC2 instance's role");
                } catch (RuntimeException e) {
                    // not on EC2, or no role: say what the user can set instead
                }
            }
            throw unavailable("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE "
                    + "to a profile in " + credentialsFile() + " (none found there, and no instance or container role)");
        }

        private Sourced<AwsCredentialsProvider> profileCredentials(ProfileFile files) {
            String name = profileName();
            return new Sourced<>(ProfileCredentialsProvider.builder().profileFile(files).profileName(name).build(),
                    "profile '" + Text.printable(name, 60) + "'" + (profileNamed() ? " (AWS_PROFILE)" : ""));
        }
    }
}
