package dev.mver.testing;

import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;

/**
 * A real S3 API server on loopback (s3proxy over a folder), with switchable faults injected below the HTTP layer:
 * uploads that fail part-way, downloads whose bytes are corrupted. Credentials match the system properties that
 * Surefire sets for the AWS SDK.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String BUCKET = "mver-test";
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final BlobStore store;
    /** Remaining uploads to fail, remaining downloads to corrupt (negative: always). */
    public final AtomicInteger failUploads = new AtomicInteger();
    public final AtomicInteger corruptDownloads = new AtomicInteger();
    public final AtomicInteger uploads = new AtomicInteger();

    public S3TestServer(Path dir) throws Exception {
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dir.toString());
        context = ContextBuilder.newBuilder("filesystem").credentials("unused", "unused").overrides(props)
                .build(BlobStoreContext.class);
        store = faulty(context.getBlobStore());
        store.createContainerInLocation(null, BUCKET);
        proxy = S3Proxy.builder().blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, System.getProperty("aws.accessKeyId", "mver-test-key"),
                        System.getProperty("aws.secretAccessKey", "mver-test-secret"))
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("s3proxy did not start");
            }
            Thread.sleep(10);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public BlobStore store() {
        return context.getBlobStore();
    }

    private BlobStore faulty(BlobStore real) {
        InvocationHandler handler = (p, method, args) -> {
            String name = method.getName();
            if ((name.equals("putBlob") || name.equals("uploadMultipartPart")) && take(failUploads)) {
                // Read part of the body, then fail: the client sees the request die mid-upload.
                Object payloadHolder = args[name.equals("putBlob") ? 1 : 2];
                InputStream in = payloadHolder instanceof Blob b ? b.getPayload().openStream()
                        : ((org.jclouds.io.Payload) payloadHolder).openStream();
                in.readNBytes(1000);
                throw new java.io.IOException("injected failure mid-upload");
            }
            if (name.equals("putBlob") || name.equals("completeMultipartUpload")) {
                uploads.incrementAndGet();
            }
            Object result;
            try {
                result = method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (name.equals("getBlob") && result instanceof Blob blob && take(corruptDownloads)) {
                byte[] bytes;
                try (InputStream in = blob.getPayload().openStream()) {
                    bytes = in.readAllBytes();
                }
                bytes[bytes.length / 2] ^= 0x40;
                var metadata = blob.getPayload().getContentMetadata();
                blob.setPayload(bytes);
                blob.getPayload().setContentMetadata(metadata);
            }
            return result;
        };
        return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class},
                handler);
    }

    private static boolean take(AtomicInteger counter) {
        int v = counter.get();
        if (v < 0) {
            return true;
        }
        return v > 0 && counter.compareAndSet(v, v - 1);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
