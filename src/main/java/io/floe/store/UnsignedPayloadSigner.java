package io.floe.store;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 with an unsigned payload ({@code x-amz-content-sha256: UNSIGNED-PAYLOAD}) whatever the
 * endpoint's scheme, as the SDK signs S3 requests over https (D104). Over plain http the SDK's signer
 * hashes every request body with SHA-256 instead: 18 % of Floe's CPU while producing to radosgw.
 * The signature covers no scheme, so the request is signed as if it went over https (its default
 * port carried over) and sent as it is. Stateless, thread-safe.
 */
final class UnsignedPayloadSigner implements HttpSigner<AwsCredentialsIdentity> {

    private static final AwsV4HttpSigner V4 = AwsV4HttpSigner.create();

    /** The SigV4 auth scheme with this signer, for {@code S3Client.builder().putAuthScheme}. */
    static AuthScheme<AwsCredentialsIdentity> scheme() {
        UnsignedPayloadSigner signer = new UnsignedPayloadSigner();
        return new AuthScheme<>() {
            @Override
            public String schemeId() {
                return AwsV4AuthScheme.SCHEME_ID;
            }

            @Override
            public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
                return providers.identityProvider(AwsCredentialsIdentity.class);
            }

            @Override
            public HttpSigner<AwsCredentialsIdentity> signer() {
                return signer;
            }
        };
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        SdkHttpRequest sent = request.request();
        SignedRequest signed = V4.sign(request.copy(b -> b.request(asHttps(sent))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)));
        return signed.copy(b -> b.request(asSent(signed.request(), sent)));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        SdkHttpRequest sent = request.request();
        return V4.signAsync(request.copy(b -> b.request(asHttps(sent))
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)))
                .thenApply(signed -> signed.copy(b -> b.request(asSent(signed.request(), sent))));
    }

    /** The request as the signer sees it: https, and the same Host header (an explicit port stays explicit). */
    static SdkHttpRequest asHttps(SdkHttpRequest sent) {
        if ("https".equals(sent.protocol())) {
            return sent;
        }
        int port = sent.port() == 80 ? 443 : sent.port();
        return sent.toBuilder().protocol("https").port(port).build();
    }

    /** The signed headers on the request as it is sent. */
    private static SdkHttpRequest asSent(SdkHttpRequest signed, SdkHttpRequest sent) {
        return signed.toBuilder().protocol(sent.protocol()).port(sent.port()).build();
    }
}
