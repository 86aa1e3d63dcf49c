package io.mphub.provider.kuaidi100;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.kuaidi100.sdk.request.SubscribeParam;
import io.mphub.callback.FormFields;
import io.mphub.config.Secret;
import io.mphub.provider.OutgoingEvent;
import io.mphub.sign.Kuaidi100SubscriptionSalt;
import io.mphub.testing.Events;
import org.junit.jupiter.api.Test;

class SubscribeRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MASTER = "k100-master-salt-0123456789abcdef";
    private final SubscribeRequests requests = new SubscribeRequests(new Secret("k100-key"),
            URI.create("https://hub.example.com/callbacks/kuaidi100"), new Kuaidi100SubscriptionSalt(MASTER), JSON);

    private static OutgoingEvent shipped(String data) throws Exception {
        return OutgoingEvent.read(JSON, Events.structured("e-1", "mp.order.shipped", "oUser1", data).getBytes());
    }

    @Test
    void paramCarriesCompanyNumberKeyAndParametersInKuaidi100sShape() throws Exception {
        JsonNode param = JSON.readTree(requests.param(shipped(Events.orderShipped("oUser1", "ORDER20261124001"))));

        assertThat(param.get("company").asText()).isEqualTo("shunfeng");
        assertThat(param.get("number").asText()).isEqualTo("SF1234567890");
        assertThat(param.get("key").asText()).isEqualTo("k100-key");
        JsonNode parameters = param.get("parameters");
        assertThat(parameters.get("callbackurl").asText()).isEqualTo("https://hub.example.com/callbacks/kuaidi100"
                + "?appId=" + Events.APP + "&openId=oUser1&orderId=ORDER20261124001&waybillNo=SF1234567890");
        assertThat(parameters.get("salt").asText()).isEqualTo(new Kuaidi100SubscriptionSalt(MASTER)
                .derive(Events.APP, "oUser1", "ORDER20261124001", "SF1234567890"));
        assertThat(parameters.get("resultv2").asText()).isEqualTo("1");
        assertThat(parameters.get("phone").asText()).isEqualTo("13800138000");
    }

    @Test
    void kuaidi100SdkReadsTheParamIntoItsOwnModel() throws Exception {
        SubscribeParam sdk = new Gson().fromJson(requests.param(shipped(Events.orderShipped("oUser1", "ORDER20261124001"))),
                SubscribeParam.class);

        assertThat(sdk.getCompany()).isEqualTo("shunfeng");
        assertThat(sdk.getNumber()).isEqualTo("SF1234567890");
        assertThat(sdk.getKey()).isEqualTo("k100-key");
        assertThat(sdk.getParameters().getCallbackurl()).startsWith("https://hub.example.com/callbacks/kuaidi100?");
        assertThat(sdk.getParameters().getSalt()).hasSize(32);
        assertThat(sdk.getParameters().getResultv2()).isEqualTo("1");
        assertThat(sdk.getParameters().getPhone()).isEqualTo("13800138000");
    }

    @Test
    void queryValuesAreEncodedAndThePhoneLeftOutWhenUnknown() throws Exception {
        JsonNode param = JSON.readTree(requests.param(shipped("{\"appId\":\"" + Events.APP + "\",\"orderId\":\"A|B*C-001\","
                + "\"openId\":\"o+user/=1\",\"carrier\":\"zhongtong\",\"waybillNo\":\"ZT 1\"}")));

        String callback = param.get("parameters").get("callbackurl").asText();
        FormFields query = FormFields.parse(URI.create(callback).getRawQuery());
        assertThat(query.get("openId")).contains("o+user/=1");
        assertThat(query.get("orderId")).contains("A|B*C-001");
        assertThat(query.get("waybillNo")).contains("ZT 1");
        assertThat(param.get("parameters").has("phone")).isFalse();
    }

    @Test
    void formIsSchemaJsonAndTheUrlEncodedParam() throws Exception {
        OutgoingEvent event = shipped(Events.orderShipped("oUser1", "ORDER20261124001"));

        FormFields form = FormFields.parse(requests.form(event));
        assertThat(form.get("schema")).contains("json");
        assertThat(form.get("param")).contains(requests.param(event));
    }

    @Test
    void missingFieldIsNamed() throws Exception {
        assertThat(SubscribeRequests.missingField(shipped("{\"appId\":\"" + Events.APP + "\",\"orderId\":\"ORDER1\","
                + "\"openId\":\"o1\",\"waybillNo\":\"SF1\"}"))).contains("carrier");
        assertThat(SubscribeRequests.missingField(shipped(Events.orderShipped("oUser1", "ORDER20261124001")))).isEmpty();
    }
}
