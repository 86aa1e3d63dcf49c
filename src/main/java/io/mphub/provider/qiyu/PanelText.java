package io.mphub.provider.qiyu;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import io.mphub.provider.ChinaTime;

/**
 * How values read on the agent's side panel: codes as words an agent in China knows, amounts in yuan, times in
 * Beijing time. Unknown codes are shown as they are.
 */
final class PanelText {

    // Qiyu's own examples show times as "2015-12-22 15:38:54"; its agents work in China Standard Time.
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ChinaTime.ZONE);

    /** The most common mini-program launch scenes (WeChat 场景值). */
    private static final Map<String, String> SCENES = Map.of(
            "1001", "发现栏小程序主入口",
            "1005", "微信首页顶部搜索框",
            "1007", "单人聊天会话中的小程序消息卡片",
            "1008", "群聊会话中的小程序消息卡片",
            "1011", "扫描二维码",
            "1012", "长按图片识别二维码",
            "1037", "小程序打开小程序",
            "1047", "扫描小程序码",
            "1089", "微信聊天主界面下拉",
            "1104", "微信聊天主界面下拉「我的小程序」栏");

    /** Kuaidi100 company codes of the largest carriers. */
    private static final Map<String, String> CARRIERS = Map.of(
            "shunfeng", "顺丰速运",
            "zhongtong", "中通快递",
            "yuantong", "圆通速递",
            "yunda", "韵达快递",
            "shentong", "申通快递",
            "jtexpress", "极兔速递",
            "jd", "京东物流",
            "ems", "EMS",
            "youzhengguonei", "邮政快递包裹",
            "debangkuaidi", "德邦快递");

    /** Kuaidi100 {@code state}: the parcel's main state. */
    private static final Map<String, String> STATES = Map.ofEntries(
            Map.entry("0", "在途"), Map.entry("1", "揽收"), Map.entry("2", "疑难"), Map.entry("3", "签收"),
            Map.entry("4", "退签"), Map.entry("5", "派件"), Map.entry("6", "退回"), Map.entry("7", "转投"),
            Map.entry("8", "清关"), Map.entry("14", "拒签"));

    private PanelText() {
    }

    static String scene(String code) {
        String name = SCENES.get(code);
        return name == null ? code : code + " " + name;
    }

    static String carrier(String code) {
        return CARRIERS.getOrDefault(code, code);
    }

    static String state(String code) {
        return STATES.getOrDefault(code, "状态 " + code);
    }

    /** An amount in fen as yuan: {@code ¥19.99} for CNY, {@code 19.99 USD} otherwise. */
    static String amount(long fen, String currency) {
        String yuan = BigDecimal.valueOf(fen).movePointLeft(2).setScale(2).toPlainString();
        return "CNY".equals(currency) || currency == null ? "¥" + yuan : yuan + " " + currency;
    }

    /** An RFC 3339 time in Beijing time; anything else as it is. */
    static String time(String rfc3339) {
        try {
            return TIME.format(OffsetDateTime.parse(rfc3339));
        } catch (DateTimeParseException e) {
            return rfc3339;
        }
    }
}
