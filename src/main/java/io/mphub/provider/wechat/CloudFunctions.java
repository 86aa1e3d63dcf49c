package io.mphub.provider.wechat;

import java.util.Map;
import java.util.Optional;

/**
 * Which cloud function each event type invokes, and in which cloud environment of each mini program
 * ({@code routes/cloud-functions.yaml}, read by {@link CloudFunctionsFile}).
 *
 * @param envByApp  the environment id per AppID
 * @param anyApp    the environment id of every app not in {@code envByApp}, if one is set for all
 * @param functions by event type
 */
record CloudFunctions(Map<String, String> envByApp, Optional<String> anyApp, Map<String, Function> functions) {

    /**
     * @param name          the cloud function's name
     * @param publishResult whether its {@code resp_data} is published back on {@code mp.results}
     */
    record Function(String name, boolean publishResult) {
    }

    Optional<Function> forType(String type) {
        return Optional.ofNullable(functions.get(type));
    }

    /** The app's environment: {@link CloudFunctionsFile} refuses a file without one for every configured app. */
    String envOf(String appId) {
        return Optional.ofNullable(envByApp.get(appId)).or(() -> anyApp)
                .orElseThrow(() -> new IllegalStateException("no cloud environment for app " + appId));
    }
}
