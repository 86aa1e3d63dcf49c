package io.mphub.privacy;

import java.time.Duration;
import java.util.List;

import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;

/** The settings of privacy by destination: pseudonym keys, what consent is assumed without a record, the audit. */
public final class PrivacySettings {

    public static final Setting<Secret> PSEUDONYM_KEY = Setting.secret("mphub.destinations.<name>.pseudonym-key")
            .fix("make one with 'openssl rand -base64 32' and set it in the environment or the secrets file")
            .description("The key of this destination's pseudonyms (HMAC-SHA256), at least 32 characters, e.g. from"
                    + " 'openssl rand -base64 32'. Needed when its file pseudonymizes a field. Changing it gives every"
                    + " user a new pseudonym there (docs/privacy.md).");
    public static final Setting<String> WITHOUT_RECORD = Setting.oneOf(
                    "mphub.destinations.<name>.consent.without-record", "withhold", "deliver")
            .defaultValue("withhold")
            .description("What a destination whose file names a consent scope gets of a user with no consent record"
                    + " yet: withhold (nothing until the user grants the scope) or deliver (everything until the user"
                    + " withdraws it).");
    public static final Setting<Secret> AUDIT_KEY = Setting.secret("mphub.privacy.audit-key")
            .fix("make one with 'openssl rand -base64 32' and set MPHUB_PRIVACY_AUDIT_KEY (environment or secrets file)")
            .description("The key (at least 32 characters) of the user references on the audit topic mp.audit: no"
                    + " real openid is written there; the audit command finds a user by this key.");
    public static final Setting<Integer> AUDIT_RETENTION_DAYS = Setting.integer("mphub.privacy.audit.retention-days")
            .defaultValue(1096).range(1, 36_500)
            .description("How long mp.audit keeps its records (set when the hub creates the topic). 1096 days: the"
                    + " three years PIPL Art. 56 asks records of provision to be kept.");
    public static final Setting<Duration> CONSENT_WAIT = Setting.millis("mphub.privacy.consent.wait-ms")
            .defaultValue(Duration.ofSeconds(10)).check(d -> !d.isZero(), "must be above 0")
            .description("How long a delivery to a destination that needs consent waits for this replica to have read"
                    + " every consent decision recorded so far, on any replica; past it the event is tried again later"
                    + " (never sent unchecked).");

    public static final List<Setting<?>> ALL = List.of(AUDIT_KEY, AUDIT_RETENTION_DAYS, CONSENT_WAIT);
    public static final List<Setting<?>> PER_DESTINATION = List.of(PSEUDONYM_KEY, WITHOUT_RECORD);

    /** What applies to every destination. */
    public record Hub(Pseudonyms auditKey, int auditRetentionDays, Duration consentWait) {
    }

    private PrivacySettings() {
    }

    public static Hub read(Settings.Reader settings) {
        Pseudonyms audit = settings.require(AUDIT_KEY, "the audit topic needs a key for its user references")
                .filter(k -> DataContracts.longEnough(settings, AUDIT_KEY, k)).map(k -> new Pseudonyms(k.value()))
                .orElse(null);
        return new Hub(audit, settings.get(AUDIT_RETENTION_DAYS), settings.get(CONSENT_WAIT));
    }
}
