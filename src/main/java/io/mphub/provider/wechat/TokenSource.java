package io.mphub.provider.wechat;

/** Where access tokens come from: WeChat's {@code stable_token} API ({@link StableTokenClient}), or a test's fake. */
@FunctionalInterface
public interface TokenSource {

    /**
     * @param force WeChat's {@code force_refresh}: invalidates the current token at once (20 a day, 30 s apart)
     * @throws InterruptedException when the hub is stopping
     */
    AccessToken fetch(String appId, boolean force) throws TokenException, InterruptedException;
}
