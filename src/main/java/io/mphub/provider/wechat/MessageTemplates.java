package io.mphub.provider.wechat;

import java.util.Map;
import java.util.Optional;

/** Every event type's subscribe message, loaded and checked by {@link MessageTemplatesFile}. */
public record MessageTemplates(Map<String, MessageTemplate> byType) {

    public Optional<MessageTemplate> forType(String type) {
        return Optional.ofNullable(byType.get(type));
    }
}
