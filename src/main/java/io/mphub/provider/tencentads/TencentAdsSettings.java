package io.mphub.provider.tencentads;

import java.util.List;
import java.util.Optional;

import io.mphub.config.Secret;
import io.mphub.config.Setting;
import io.mphub.config.Settings;

/**
 * The Tencent Ads (腾讯广告) account the hub reports user actions to ({@code mphub.tencentads.*}): needed when a
 * destination has kind {@code tencent-ads}.
 *
 * @param accountId       the advertiser account id
 * @param userActionSetId the user action set (data source) of the mini program, created in the account
 * @param accessToken     the Marketing API access token the account authorised (OAuth)
 */
record TencentAdsSettings(long accountId, long userActionSetId, Secret accessToken) {

    static final Setting<Long> ACCOUNT_ID = Setting.longNumber("mphub.tencentads.account-id").range(1L, Long.MAX_VALUE)
            .fix("set MPHUB_TENCENTADS_ACCOUNT_ID to the advertiser account id shown in Tencent Ads (腾讯广告)")
            .description("Kind tencent-ads: the advertiser account id (account_id). Required.");
    static final Setting<Long> USER_ACTION_SET_ID = Setting.longNumber("mphub.tencentads.user-action-set-id")
            .range(1L, Long.MAX_VALUE)
            .fix("set MPHUB_TENCENTADS_USER_ACTION_SET_ID to the id of the mini program's user action set (数据源), created"
                    + " for the account with type WECHAT_MINI_PROGRAM")
            .description("Kind tencent-ads: the user action set (data source) of the mini program (user_action_set_id)."
                    + " Required.");
    static final Setting<Secret> ACCESS_TOKEN = Setting.secret("mphub.tencentads.access-token")
            .fix("set MPHUB_TENCENTADS_ACCESS_TOKEN (environment or secrets file) to the Marketing API access token the"
                    + " account authorised for your app")
            .description("Kind tencent-ads: the Marketing API access token (OAuth) of the account. Required. When Tencent"
                    + " refuses it (11000 expired, 11002, 11004, 11005, 11014) the destination pauses for 10 minutes and"
                    + " logs an ERROR naming this setting; nothing is dead-lettered. The hub does not refresh it.");
    static final Setting<String> ACTIONS = Setting.text("mphub.tencentads.actions")
            .description("Kind tencent-ads: the file mapping event types to Tencent Ads action types. Not set:"
                    + " tencent-ads-actions.yaml in mphub.routes.dir. A type it does not map is not reported (skipped).");

    static final List<Setting<?>> ALL = List.of(ACCOUNT_ID, USER_ACTION_SET_ID, ACCESS_TOKEN, ACTIONS);

    static Optional<TencentAdsSettings> read(Settings.Reader settings, String destination) {
        Settings.Reader mine = settings.section();
        String who = "destination '" + destination + "' (kind tencent-ads)";
        Optional<Long> account = mine.require(ACCOUNT_ID, who + " needs the advertiser account id");
        Optional<Long> set = mine.require(USER_ACTION_SET_ID, who + " needs the mini program's user action set id");
        Optional<Secret> token = mine.require(ACCESS_TOKEN, who + " needs the Marketing API access token");
        return mine.ok() ? Optional.of(new TencentAdsSettings(account.orElseThrow(), set.orElseThrow(),
                token.orElseThrow())) : Optional.empty();
    }
}
