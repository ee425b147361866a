package dev.mver.core.remote;

import dev.mver.core.config.RemoteConfig;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.Text;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * S3 and S3-compatible object storage (MinIO, Ceph, s3proxy). Every PUT carries a checksum the server verifies:
 * {@code x-amz-checksum-sha256} where supported (AWS, MinIO; {@code "checksum": "sha256"}), else Content-MD5.
 * Uploads are create-only ({@code If-None-Match: *}); objects above {@link #PART_BYTES} go in multipart uploads
 * whose parts are each checksummed, and the whole object is re-hashed before the upload is completed, so a
 * corrupt local object is aborted rather than published. Memory stays at one part per upload.
 */
public final class S3Remote implements RemoteStore {
    static final int PART_BYTES = 16 << 20;

    /** {@code s3://bucket/prefix}, with options endpoint, region, path_style and checksum. */
    public static final RemoteKind KIND = new Kind();

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final boolean sha256Checksums;

    private static final class Kind implements RemoteKind {
        @Override
        public String name() {
            return "S3";
        }

        @Override
        public boolean serves(RemoteConfig remote) {
            return "s3".equals(remote.scheme());
        }

        @Override
        public Set<String> options() {
            return Set.of("endpoint", "region", "path_style", "checksum");
        }

        @Override
        public void validate(RemoteConfig remote) {
            location(remote.url());
            String endpoint = remote.option("endpoint");
            if (endpoint != null) {
                try {
                    URI e = new URI(endpoint);
                    if (e.getScheme() == null || !(e.getScheme().equals("http") || e.getScheme().equals("https"))
                            || e.getHost() == null) {
                        throw MverException.usage("endpoint must be an http:// or https:// URL");
                    }
                    if (e.getUserInfo() != null) {
                        throw MverException.usage("endpoint must not contain credentials");
                    }
                } catch (URISyntaxException ex) {
                    throw MverException.usage("endpoint is not a URL: %s", ex.getReason());
                }
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
        }

        @Override
        public RemoteStore open(RemoteConfig remote, Path workTree) {
            return new S3Remote(remote);
        }
    }

    /** Bucket and key prefix of an s3:// url (prefix without slashes at either end, possibly empty). */
    private record Location(String bucket, String prefix) {
    }

    private static Location location(String url) {
        String rest = url.substring("s3://".length());
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
        return new Location(bucket, prefix);
    }

    private S3Remote(RemoteConfig config) {
        Location loc = location(config.url());
        this.bucket = loc.bucket();
        this.prefix = loc.prefix();
        this.sha256Checksums = "sha256".equals(config.option("checksum"));
        String region = config.option("region");
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .region(Region.of(region == null ? "us-east-1" : region))
                .forcePathStyle(config.flag("path_style"))
                // mver sends its own checksums; the SDK's trailing CRC32 chunked uploads are refused by many servers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (config.option("endpoint") != null) {
            builder.endpointOverride(URI.create(config.option("endpoint")));
        }
        this.s3 = builder.build();
    }

    @Override
    public String describe() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    private String key(Sha256 sha) {
        return RemoteStore.key(prefix, sha);
    }

    @Override
    public long size(Sha256 sha) {
        try {
            return s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key(sha)).build()).contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw refused(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Map<Sha256, Long> inventory() {
        Map<Sha256, Long> out = new HashMap<>();
        String objects = (prefix.isEmpty() ? "" : prefix + "/") + "objects/";
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
                    .prefix(objects).build())) {
                for (S3Object o : page.contents()) {
                    String rest = o.key().substring(objects.length());
                    int slash = rest.indexOf('/');
                    if (slash == 2) {
                        try {
                            out.put(Sha256.ofHex(rest.substring(0, 2) + rest.substring(3)), o.size());
                        } catch (MverException e) {
                            // not one of mver's objects
                        }
                    }
                }
            }
        } catch (S3Exception e) {
            throw refused(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
        return out;
    }

    @Override
    public InputStream open(Sha256 sha) {
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key(sha)).build());
        } catch (NoSuchKeyException e) {
            throw MverException.notFound("object %s is not on remote %s", sha.shortHex(), describe());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw MverException.notFound("object %s is not on remote %s", sha.shortHex(), describe());
            }
            throw refused(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void upload(Sha256 sha, Path file, long size, ProgressListener progress, boolean replace) {
        try {
            if (size <= PART_BYTES) {
                uploadSingle(sha, file, size, progress, replace);
            } else {
                uploadMultipart(sha, file, size, progress);
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return; // create-only write refused: the object is already there
            }
            throw refused(e);
        } catch (SdkException e) {
            throw unavailable(e);
        } catch (IOException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot read local object " + sha.shortHex() + ": "
                    + e.getMessage(), e);
        }
    }

    private void uploadSingle(Sha256 sha, Path file, long size, ProgressListener progress, boolean replace)
            throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != size || !Sha256.hash(bytes).equals(sha)) {
            throw MverException.integrity("local object %s is corrupt; not uploaded (run mver verify --all)", sha.shortHex());
        }
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key(sha))
                .contentLength((long) bytes.length);
        if (!replace) {
            put.ifNoneMatch("*");
        }
        if (sha256Checksums) {
            put.checksumSHA256(Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(sha.hex())));
        } else {
            put.contentMD5(md5(bytes, bytes.length));
        }
        s3.putObject(put.build(), RequestBody.fromBytes(bytes));
        progress.advance(bytes.length);
    }

    private void uploadMultipart(Sha256 sha, Path file, long size, ProgressListener progress) throws IOException {
        String uploadId = s3.createMultipartUpload(CreateMultipartUploadRequest.builder().bucket(bucket).key(key(sha))
                .build()).uploadId();
        boolean done = false;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest whole = Sha256.newDigest();
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer = new byte[PART_BYTES];
            long total = 0;
            for (int part = 1; ; part++) {
                int n = in.readNBytes(buffer, 0, PART_BYTES);
                if (n == 0) {
                    break;
                }
                whole.update(buffer, 0, n);
                total += n;
                UploadPartRequest.Builder req = UploadPartRequest.builder().bucket(bucket).key(key(sha))
                        .uploadId(uploadId).partNumber(part).contentLength((long) n);
                if (sha256Checksums) {
                    MessageDigest d = Sha256.newDigest();
                    d.update(buffer, 0, n);
                    req.checksumSHA256(Base64.getEncoder().encodeToString(d.digest()));
                } else {
                    req.contentMD5(md5(buffer, n));
                }
                final int length = n;
                String etag = s3.uploadPart(req.build(), RequestBody.fromContentProvider(
                        () -> new java.io.ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream"))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
                progress.advance(n);
            }
            if (total != size || !Sha256.of(whole.digest()).equals(sha)) {
                throw MverException.integrity("local object %s is corrupt; upload aborted (run mver verify --all)",
                        sha.shortHex());
            }
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key(sha))
                    .uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
            done = true;
        } finally {
            if (!done) {
                try {
                    s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key(sha))
                            .uploadId(uploadId).build());
                } catch (SdkException e) {
                    // the server expires abandoned uploads; nothing was published
                }
            }
        }
    }

    @Override
    public void download(Sha256 sha, long size, ArtifactCache cache, String what, ProgressListener progress) {
        try (InputStream in = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key(sha)).build())) {
            cache.ingestVerified(in, sha, size, what, progress);
        } catch (NoSuchKeyException e) {
            throw MverException.notFound("object %s for %s is not on remote %s", sha.shortHex(), what, describe());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw MverException.notFound("object %s for %s is not on remote %s", sha.shortHex(), what, describe());
            }
            throw refused(e);
        } catch (SdkException e) {
            throw unavailable(e);
        } catch (IOException e) {
            throw new MverException(ExitCode.REMOTE, "download from " + describe() + " failed: " + e.getMessage(), e);
        }
    }

    private MverException refused(S3Exception e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        return new MverException(ExitCode.REMOTE, describe() + " refused the request: HTTP " + e.statusCode()
                + (code == null || code.isEmpty() ? "" : " " + code), e);
    }

    private MverException unavailable(SdkException e) {
        String message = e instanceof SdkClientException && e.getMessage() != null ? e.getMessage() : e.toString();
        return new MverException(ExitCode.REMOTE, describe() + " is unavailable: "
                + Text.printable(message, 200), e);
    }

    private static String md5(byte[] bytes, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(bytes, 0, length);
            return Base64.getEncoder().encodeToString(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
