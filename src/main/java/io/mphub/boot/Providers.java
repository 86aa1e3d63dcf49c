package io.mphub.boot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mphub.deliver.DeliverySettings;
import io.mphub.provider.Provider;
import io.mphub.provider.amap.AmapProvider;
import io.mphub.provider.kuaidi100.Kuaidi100Provider;
import io.mphub.provider.meiqia.MeiqiaProvider;
import io.mphub.provider.qiyu.QiyuProvider;
import io.mphub.provider.segment.SegmentProvider;
import io.mphub.provider.sensorsdata.SensorsDataProvider;
import io.mphub.provider.tencentads.TencentAdsProvider;
import io.mphub.provider.tencentmap.TencentMapProvider;
import io.mphub.provider.webhook.WebhookProvider;
import io.mphub.provider.wechat.WeChatProvider;
import io.mphub.provider.wechatpay.WeChatPayProvider;

/** Every provider the hub speaks. Adding one is its package under provider/ and one line here. */
final class Providers {

    static final List<Provider> ALL = List.of(
            new WebhookProvider(),
            new WeChatPayProvider(),
            new WeChatProvider(),
            new Kuaidi100Provider(),
            new QiyuProvider(),
            new MeiqiaProvider(),
            new TencentMapProvider(),
            new AmapProvider(),
            new SensorsDataProvider(),
            new SegmentProvider(),
            new TencentAdsProvider());

    private Providers() {
    }

    /** Every destination kind, as start-up checks a destination against it. */
    static Map<String, DeliverySettings.KindSpec> kinds() {
        Map<String, DeliverySettings.KindSpec> kinds = new LinkedHashMap<>();
        for (Provider p : ALL) {
            p.kinds().forEach(k -> kinds.put(k.name(), k.spec()));
        }
        return kinds;
    }

}
