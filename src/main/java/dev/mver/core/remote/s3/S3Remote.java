package dev.mver.core.remote.s3;

import dev.mver.core.config.RemoteConfig;
import dev.mver.core.remote.RemoteFailure;
import dev.mver.core.remote.RemoteKind;
import dev.mver.core.remote.RemoteStore;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Sha256;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * S3 and S3-compatible object storage (MinIO, Ceph, s3proxy). Every PUT carries a checksum the server verifies:
 * {@code x-amz-checksum-sha256} where supported (AWS, MinIO; {@code "checksum": "sha256"}), else over plain HTTP the
 * signed payload's SHA-256 (the SDK signs the body there), else Content-MD5.
 * Uploads are create-only ({@code If-None-Match: *}, on the single PUT and on the completion of a multipart
 * upload). Objects above {@link #PART_BYTES} go in multipart uploads whose parts travel at once, each checksummed,
 * while the whole object is hashed in order and checked before the upload is completed, so a corrupt local object
 * is aborted rather than published; large downloads are ranged GETs at once into the temp file, hashed in order
 * as the parts land. Parts are read from and written to the files themselves, so memory does not grow with jobs.
 */
public final class S3Remote implements RemoteStore {
    /** The AWS CLI's part size: large enough for throughput, small enough that jobs × part stays modest. */
    static final int PART_BYTES = 8 << 20;
    /** S3 allows 10,000 parts; larger objects get larger parts. */
    private static final int MAX_PARTS = 10_000;
    /** How much of a ranged download is written out to disk at a time while the rest arrives. */
    private static final long FLUSH_BYTES = 64L << 20;
    /** A sending part is cut if it moves slower than this (a server that stopped reading), plus the read timeout. */
    private static final long MIN_SEND_BYTES_PER_SECOND = 256 << 10;

    /** {@code s3://bucket/prefix}, with options endpoint, region, path_style, checksum and the time limits. */
    public static final RemoteKind KIND = new Kind();

    private final S3Client s3;
    private final S3Settings settings;
    private final String endpoint;
    private final S3Failures failures;
    private final ExecutorService parts;
    private final AtomicBoolean bucketSeen = new AtomicBoolean();
    /** Over plain HTTP the SDK signs each body's SHA-256, which the server checks: Content-MD5 would repeat it. */
    private final boolean payloadSigned;

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
            return S3Settings.OPTIONS;
        }

        @Override
        public void validate(RemoteConfig remote) {
            S3Settings.of(remote, Map.of());
        }

        @Override
        public RemoteStore open(RemoteConfig remote, Context context) {
            return new S3Remote(S3Settings.of(remote, context.env()), new AwsSources(context.env()), context.jobs());
        }
    }

    private S3Remote(S3Settings settings, AwsSources aws, int jobs) {
        this.settings = settings;
        this.payloadSigned = settings.endpoint() != null && "http".equals(settings.endpoint().getScheme());
        AwsSources.Sourced<String> region = aws.region(settings.regionOption());
        this.endpoint = settings.endpoint() != null ? settings.endpoint().toString()
                : "https://s3." + region.value() + ".amazonaws.com";
        AwsSources.Credentials credentials = aws.credentials(describe());
        this.failures = new S3Failures(describe(), settings.bucket(), endpoint, settings, credentials);
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.readTimeout()).build())
                .region(Region.of(region.value()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
                // mver sends its own checksums; the SDK's trailing CRC32 chunked uploads are refused by many servers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(StandardRetryStrategy.builder()
                        .useClientDefaults(false)
                        .maxAttempts(4)
                        .retryOnException(S3Failures::retryable)
                        .treatAsThrottling(S3Failures::throttling)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(5)))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofSeconds(1),
                                Duration.ofSeconds(20)))
                        .circuitBreakerEnabled(false)
                        .build()));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        } else {
            // A bucket in another region than the one configured is found (AWS redirects) instead of refused.
            builder.crossRegionAccessEnabled(true);
        }
        this.s3 = builder.build();
        this.parts = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "mver-s3-part");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The longest a command waits on a server that accepts connections and never answers, with the default limits:
     * one connect and one read timeout, as a timeout is not retried.
     */
    public static Duration worstSilentWait() {
        return S3Settings.DEFAULT_CONNECT_TIMEOUT.plus(S3Settings.DEFAULT_READ_TIMEOUT);
    }

    @Override
    public String describe() {
        return "s3://" + settings.bucket() + (settings.prefix().isEmpty() ? "" : "/" + settings.prefix());
    }

    private String key(Sha256 sha) {
        return RemoteStore.key(settings.prefix(), sha);
    }

    @Override
    public long size(Sha256 sha) {
        try {
            long size = s3.headObject(HeadObjectRequest.builder().bucket(settings.bucket()).key(key(sha)).build())
                    .contentLength();
            bucketSeen.set(true);
            return size;
        } catch (SdkServiceException e) {
            if (e.statusCode() == 404) {
                requireBucket(e);
                return -1;
            }
            throw failures.translate(e);
        } catch (SdkException e) {
            throw failures.translate(e);
        }
    }

    /**
     * A 404 on HEAD has no body to say whether the object or the bucket is missing; the bucket is asked once, so a
     * typo in its name is an error (exit 7), not a remote that seems to have lost everything.
     */
    private void requireBucket(Throwable cause) {
        if (bucketSeen.get()) {
            return;
        }
        try {
            s3.headBucket(HeadBucketRequest.builder().bucket(settings.bucket()).build());
            bucketSeen.set(true);
        } catch (SdkServiceException e) {
            if (e.statusCode() == 404 || S3Failures.noSuchBucket(e)) {
                throw failures.missingBucket(cause);
            }
            throw failures.translate(e);
        } catch (SdkException e) {
            throw failures.translate(e);
        }
    }

    @Override
    public Map<Sha256, Long> inventory() {
        Map<Sha256, Long> out = new HashMap<>();
        String objects = (settings.prefix().isEmpty() ? "" : settings.prefix() + "/") + "objects/";
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(settings.bucket()).prefix(objects).build())) {
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
            bucketSeen.set(true);
        } catch (SdkException e) {
            throw failures.translate(e);
        }
        return out;
    }

    @Override
    public InputStream open(Sha256 sha) {
        return get(sha, "", null);
    }

    /** The object's bytes from {@code range} ({@code bytes=A-B}, null: all), read errors as remote failures. */
    private InputStream get(Sha256 sha, String what, String range) {
        try {
            GetObjectRequest.Builder req = GetObjectRequest.builder().bucket(settings.bucket()).key(key(sha));
            if (range != null) {
                req.range(range);
            }
            return new RemoteStream(s3.getObject(req.build()));
        } catch (SdkServiceException e) {
            if (e.statusCode() == 404 && !S3Failures.noSuchBucket(e)) {
                throw MverException.notFound("object %s%s is not on remote %s", sha.shortHex(),
                        what.isEmpty() ? "" : " for " + what, describe());
            }
            throw failures.translate(e);
        } catch (SdkException e) {
            throw failures.translate(e);
        }
    }

    /** A response body whose read failures say which remote failed and whether a retry could help. */
    private final class RemoteStream extends FilterInputStream {
        private final GetObjectResponse response;

        RemoteStream(software.amazon.awssdk.core.ResponseInputStream<GetObjectResponse> in) {
            super(in);
            this.response = in.response();
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw broken(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw broken(e);
            }
        }

        private RuntimeException broken(IOException e) {
            return failures.translate(e);
        }
    }

    private static long partBytes(long size) {
        long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
        return Math.max(PART_BYTES, (needed + (1 << 20) - 1) & ~((1L << 20) - 1));
    }

    @Override
    public void upload(Sha256 sha, Path file, long size, ProgressListener progress, boolean replace) {
        try {
            if (size <= PART_BYTES) {
                uploadSingle(sha, file, size, progress, replace);
            } else {
                uploadMultipart(sha, file, size, progress, replace);
            }
        } catch (SdkServiceException e) {
            if (e.statusCode() == 412) {
                return; // create-only write refused: the object is already there
            }
            throw failures.translate(e);
        } catch (SdkException e) {
            throw failures.translate(e);
        } catch (IOException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot read local object " + sha.shortHex() + ": "
                    + e.getMessage(), e);
        }
    }

    private void uploadSingle(Sha256 sha, Path file, long size, ProgressListener progress, boolean replace)
            throws IOException {
        try (FileChannel in = FileChannel.open(file)) {
            Hashes h = hashes(in, 0, size, true, needsMd5());
            if (in.size() != size || !h.sha256().equals(sha)) {
                throw MverException.integrity("local object %s is corrupt; not uploaded (run mver verify --all)",
                        sha.shortHex());
            }
            PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(settings.bucket()).key(key(sha))
                    .contentLength(size).overrideConfiguration(o -> o.apiCallAttemptTimeout(sendLimit(size)));
            if (!replace) {
                put.ifNoneMatch("*");
            }
            if (settings.sha256Checksums()) {
                put.checksumSHA256(base64(sha));
            } else if (needsMd5()) {
                put.contentMD5(h.md5());
            }
            s3.putObject(put.build(), body(in, 0, size));
            progress.advance(size);
        }
    }

    /** The SHA-256 and the MD5 (base64) of a range of a file, each null unless asked for. */
    private record Hashes(Sha256 sha256, String md5) {
    }

    /** Whether a body carries Content-MD5: only where neither a SHA-256 checksum nor a signed payload covers it. */
    private boolean needsMd5() {
        return settings.md5Always() || !settings.sha256Checksums() && !payloadSigned;
    }

    private Hashes hashes(FileChannel in, long start, long length, boolean withSha256, boolean withMd5)
            throws IOException {
        MessageDigest sha256 = withSha256 ? Sha256.newDigest() : null;
        MessageDigest md5 = withMd5 ? md5() : null;
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(1, length)));
        for (long at = start, end = start + length; at < end; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), end - at));
            int n = in.read(buffer, at);
            if (n < 0) {
                break;
            }
            if (sha256 != null) {
                sha256.update(buffer.array(), 0, n);
            }
            if (md5 != null) {
                md5.update(buffer.array(), 0, n);
            }
            at += n;
        }
        return new Hashes(sha256 == null ? null : Sha256.of(sha256.digest()), md5 == null ? null
                : Base64.getEncoder().encodeToString(md5.digest()));
    }

    /**
     * A request body read from a range of the object file each time the SDK asks (once to sign, once to send): no
     * part is held in memory, so memory does not grow with jobs or part size.
     */
    private static RequestBody body(FileChannel in, long start, long length) {
        return RequestBody.fromContentProvider(() -> new RangeInput(in, start, length), length,
                "application/octet-stream");
    }

    /** Positional reads of a range of a file: many ranges of one open file can be read at once. */
    private static final class RangeInput extends InputStream {
        private final FileChannel in;
        private long at;
        private final long end;

        RangeInput(FileChannel in, long start, long length) {
            this.in = in;
            this.at = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (at >= end) {
                return -1;
            }
            int n = in.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - at)), at);
            if (n > 0) {
                at += n;
            }
            return n;
        }
    }

    /** How long one request may take to send {@code bytes}: a stalled server is cut, a slow link is not. */
    private Duration sendLimit(long bytes) {
        return settings.readTimeout().plusSeconds(bytes / MIN_SEND_BYTES_PER_SECOND + 1);
    }

    /**
     * Parts go to the remote's part threads at once, each read from the file when sent, while this thread hashes the
     * whole object in order; the upload is completed only when that hash is the object's name.
     */
    private void uploadMultipart(Sha256 sha, Path file, long size, ProgressListener progress, boolean replace)
            throws IOException {
        try (FileChannel in = FileChannel.open(file)) {
            if (in.size() != size) {
                throw MverException.integrity("local object %s is corrupt (%d bytes, not %d); not uploaded (run mver "
                        + "verify --all)", sha.shortHex(), in.size(), size);
            }
            String uploadId = s3.createMultipartUpload(CreateMultipartUploadRequest.builder()
                    .bucket(settings.bucket()).key(key(sha)).build()).uploadId();
            long partBytes = partBytes(size);
            boolean done = false;
            List<Future<CompletedPart>> sent = new ArrayList<>();
            try {
                int number = 1;
                for (long offset = 0; offset < size; offset += partBytes, number++) {
                    long start = offset;
                    long length = Math.min(partBytes, size - offset);
                    int part = number;
                    sent.add(parts.submit(() -> uploadPart(sha, uploadId, part, in, start, length, progress)));
                }
                if (!hashes(in, 0, size, true, false).sha256().equals(sha)) {
                    throw MverException.integrity("local object %s is corrupt; upload aborted (run mver verify --all)",
                            sha.shortHex());
                }
                List<CompletedPart> completed = new ArrayList<>();
                for (Future<CompletedPart> f : sent) {
                    completed.add(await(f));
                }
                CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder()
                        .bucket(settings.bucket()).key(key(sha)).uploadId(uploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build());
                if (!replace) {
                    complete.ifNoneMatch("*");
                }
                try {
                    s3.completeMultipartUpload(complete.build());
                } catch (SdkServiceException e) {
                    if (e.statusCode() != 501 || replace) {
                        throw e;
                    }
                    // A server without conditional completion: the key is the content's hash, so a race writes the
                    // same bytes.
                    s3.completeMultipartUpload(complete.ifNoneMatch(null).build());
                }
                done = true;
            } finally {
                if (!done) {
                    sent.forEach(f -> f.cancel(true));
                    try {
                        s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(settings.bucket())
                                .key(key(sha)).uploadId(uploadId).build());
                    } catch (SdkException e) {
                        // the server expires abandoned uploads; nothing was published
                    }
                }
            }
        }
    }

    private CompletedPart uploadPart(Sha256 sha, String uploadId, int number, FileChannel in, long start, long n,
                                     ProgressListener progress) throws IOException {
        UploadPartRequest.Builder req = UploadPartRequest.builder().bucket(settings.bucket()).key(key(sha))
                .uploadId(uploadId).partNumber(number).contentLength(n)
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(sendLimit(n)));
        if (settings.sha256Checksums() || needsMd5()) {
            Hashes h = hashes(in, start, n, settings.sha256Checksums(), needsMd5());
            if (settings.sha256Checksums()) {
                req.checksumSHA256(base64(h.sha256()));
            } else {
                req.contentMD5(h.md5());
            }
        }
        String etag = s3.uploadPart(req.build(), body(in, start, n)).eTag();
        progress.advance(n);
        return CompletedPart.builder().partNumber(number).eTag(etag).build();
    }

    /** The part's result; its failure as the SDK or mver reported it. */
    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MverException(ExitCode.INTERNAL, "interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new MverException(ExitCode.of(c), String.valueOf(c.getMessage()), c);
        }
    }

    @Override
    public void download(Sha256 sha, long size, ArtifactCache cache, String what, ProgressListener progress) {
        if (size > 2L * PART_BYTES) {
            cache.ingestVerified(temp -> ranged(sha, size, what, temp, progress), sha, size, what);
            return;
        }
        try (InputStream in = get(sha, what, null)) {
            cache.ingestVerified(in, sha, size, what, progress);
        } catch (IOException e) {
            throw failures.translate(e);
        }
    }

    /**
     * Ranged GETs at once, each written at its place in {@code temp}; this thread hashes the file in order as the
     * parts land, so the hash is of the bytes that will be published and costs no extra pass at the end.
     */
    private Sha256 ranged(Sha256 sha, long size, String what, FileChannel temp, ProgressListener progress)
            throws IOException {
        long partBytes = partBytes(size);
        List<Future<Void>> landed = new ArrayList<>();
        try {
            for (long offset = 0; offset < size; offset += partBytes) {
                long start = offset;
                long length = Math.min(partBytes, size - offset);
                landed.add(parts.submit(() -> {
                    getPart(sha, what, size, start, length, temp, progress);
                    return null;
                }));
            }
            MessageDigest digest = Sha256.newDigest();
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            long hashed = 0;
            long flushed = 0;
            for (Future<Void> f : landed) {
                await(f);
                long end = Math.min(size, hashed + partBytes);
                while (hashed < end) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), end - hashed));
                    int n = temp.read(buffer, hashed);
                    if (n < 0) {
                        throw new IOException("the temp file ended at " + hashed + " bytes");
                    }
                    digest.update(buffer.array(), 0, n);
                    hashed += n;
                }
                if (hashed - flushed >= FLUSH_BYTES) {
                    // Written out while later parts still arrive, so the fsync before the rename has little left.
                    temp.force(false);
                    flushed = hashed;
                }
            }
            return Sha256.of(digest.digest());
        } finally {
            landed.forEach(f -> f.cancel(true));
        }
    }

    /** One range into its place; a connection cut mid-part is read again (twice at most) from the start of the part. */
    private void getPart(Sha256 sha, String what, long size, long start, long length, FileChannel temp,
                         ProgressListener progress) throws IOException {
        for (int attempt = 1; ; attempt++) {
            long written = 0;
            try (InputStream in = get(sha, what, "bytes=" + start + "-" + (start + length - 1))) {
                long total = total(((RemoteStream) in).response);
                if (total >= 0 && total != size) {
                    throw MverException.integrity("the remote's copy of object %s for %s has %d bytes, not %d",
                            sha.shortHex(), what, total, size);
                }
                byte[] chunk = new byte[1 << 16];
                for (int n = in.read(chunk); n > 0 && written < length; n = in.read(chunk)) {
                    int take = (int) Math.min(n, length - written);
                    ByteBuffer b = ByteBuffer.wrap(chunk, 0, take);
                    while (b.hasRemaining()) {
                        written += temp.write(b, start + written);
                    }
                    progress.advance(take);
                }
                if (written != length) {
                    throw MverException.integrity("the remote sent %d bytes of part %d-%d of object %s for %s",
                            written, start, start + length - 1, sha.shortHex(), what);
                }
                return;
            } catch (RemoteFailure e) {
                if (!e.retryable() || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** The object's whole size from a ranged response's {@code Content-Range: bytes A-B/TOTAL}; -1 if absent. */
    private static long total(GetObjectResponse response) {
        String range = response.contentRange();
        int slash = range == null ? -1 : range.lastIndexOf('/');
        if (slash < 0 || range.endsWith("*")) {
            return -1;
        }
        try {
            return Long.parseLong(range.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A SHA-256 as x-amz-checksum-sha256 carries it: the digest's bytes in base64. */
    private static String base64(Sha256 sha) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha.hex()));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        parts.shutdownNow();
        s3.close();
    }
}
