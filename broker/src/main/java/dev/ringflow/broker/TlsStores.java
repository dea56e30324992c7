package dev.ringflow.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed key and certificate for one host, made at start in a directory of its own: a PKCS12 keystore for
 * the broker and a PKCS12 truststore holding only the certificate, for its clients.
 * <p>
 * <b>Note:</b> The key pair comes from the running JDK's {@code keytool} (the JDK has no public API that signs a
 * certificate); the store passwords are random and reach {@code keytool} through its environment, not its command
 * line. {@link #close()} deletes the directory.
 */
final class TlsStores implements AutoCloseable
{
    static final String STORE_TYPE = "PKCS12";
    private static final String ALIAS = "ringflow-embedded-broker";
    private static final String PASSWORD_VARIABLE = "RINGFLOW_STORE_PASSWORD";
    private static final long KEYTOOL_TIMEOUT_MS = 60_000;

    private final Path dir;
    private final Path keystore;
    private final Path truststore;
    private final String password;

    private TlsStores(final Path dir, final String password)
    {
        this.dir = dir;
        this.keystore = dir.resolve("broker.p12");
        this.truststore = dir.resolve("truststore.p12");
        this.password = password;
    }

    /**
     * Makes a key pair and a certificate valid for {@code host} (and for localhost and 127.0.0.1), so that clients
     * verify the broker's name as they do by default.
     */
    static TlsStores create(final String host) throws IOException
    {
        final byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        final TlsStores stores = new TlsStores(Files.createTempDirectory("ringflow-kafka-tls-"),
            HexFormat.of().formatHex(secret));
        try
        {
            stores.generateKeystore(host);
            stores.writeTruststore();
            return stores;
        }
        catch (final IOException | RuntimeException ex)
        {
            stores.close();
            throw ex;
        }
    }

    Path keystore()
    {
        return keystore;
    }

    Path truststore()
    {
        return truststore;
    }

    /** The password of both stores and of the key. */
    String password()
    {
        return password;
    }

    @Override
    public void close()
    {
        NodeResources.deleteRecursively(dir);
    }

    private void generateKeystore(final String host) throws IOException
    {
        final Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        final Path output = dir.resolve("keytool.out");
        final String subjectAltNames = "SAN=" + (isIpAddress(host) ? "ip:" : "dns:") + host +
            ",dns:localhost,ip:127.0.0.1";
        final ProcessBuilder builder = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair",
            "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3650",
            "-dname", "CN=" + host, "-ext", subjectAltNames,
            "-keystore", keystore.toString(), "-storetype", STORE_TYPE,
            "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
        builder.environment().put(PASSWORD_VARIABLE, password);
        final Process process = builder.start();
        try
        {
            if (!process.waitFor(KEYTOOL_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                throw new IOException(keytool + " did not finish within " + KEYTOOL_TIMEOUT_MS + " ms");
            }
            if (process.exitValue() != 0 || !Files.exists(keystore))
            {
                throw new IOException(keytool + " failed with exit code " + process.exitValue() + ": " +
                    Files.readString(output, StandardCharsets.UTF_8).trim());
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + keytool + " made a key pair", ex);
        }
        finally
        {
            process.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    private void writeTruststore() throws IOException
    {
        try (InputStream in = Files.newInputStream(keystore); OutputStream out = Files.newOutputStream(truststore))
        {
            final KeyStore keys = KeyStore.getInstance(STORE_TYPE);
            keys.load(in, password.toCharArray());
            final Certificate certificate = keys.getCertificate(ALIAS);
            final KeyStore trusted = KeyStore.getInstance(STORE_TYPE);
            trusted.load(null, null);
            trusted.setCertificateEntry(ALIAS, certificate);
            trusted.store(out, password.toCharArray());
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException("cannot write the truststore " + truststore + ": " + ex.getMessage(), ex);
        }
    }

    private static boolean isIpAddress(final String host)
    {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
