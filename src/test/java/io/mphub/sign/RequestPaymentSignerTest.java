package io.mphub.sign;

import java.io.InputStream;
import java.security.KeyPair;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.http.HttpRequest;
import com.wechat.pay.java.core.http.HttpResponse;
import com.wechat.pay.java.core.http.OriginalResponse;
import com.wechat.pay.java.service.payments.jsapi.JsapiServiceExtension;
import com.wechat.pay.java.service.payments.jsapi.model.Amount;
import com.wechat.pay.java.service.payments.jsapi.model.Payer;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayWithRequestPaymentResponse;
import io.mphub.testing.TestClock;
import io.mphub.testing.TestSecrets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestPaymentSignerTest {

    private static final KeyPair MERCHANT = TestSecrets.rsa2048();
    private static final KeyPair PLATFORM = TestSecrets.rsa2048();
    private static final String APPID = "wxd678efh567hg6787";
    private static final String SERIAL = "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB";
    private static final String PREPAY_ID = "wx201410272009395522657a690389285100";

    private final RequestPaymentSigner signer = new RequestPaymentSigner(
            APPID, MERCHANT.getPrivate(), TestClock.atEpochSecond(1414561699L), () -> "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");

    @Test
    void paramsCarryTimeNoncePrepayIdAndRsa() {
        RequestPaymentSigner.RequestPayment payment = signer.sign(PREPAY_ID);

        assertThat(payment.timeStamp()).isEqualTo("1414561699");
        assertThat(payment.nonceStr()).isEqualTo("5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
        assertThat(payment.packageValue()).isEqualTo("prepay_id=wx201410272009395522657a690389285100");
        assertThat(payment.signType()).isEqualTo("RSA");
    }

    @Test
    void paySignVerifiesWithSdkRsaVerifierOverAppIdTimeNonceAndPackage() {
        RequestPaymentSigner.RequestPayment payment = signer.sign(PREPAY_ID);

        String message = "wxd678efh567hg6787\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\n"
                + "prepay_id=wx201410272009395522657a690389285100\n";
        RSAVerifier sdk = new RSAVerifier(MERCHANT.getPublic(), SERIAL);
        assertThat(sdk.verify(SERIAL, message, payment.paySign())).isTrue();
        assertThat(sdk.verify(SERIAL, message.replace("wxd678", "wxd679"), payment.paySign())).isFalse();
    }

    @Test
    void paySignEqualsJsapiServiceExtensionForSameTimeAndNonce() {
        JsapiServiceExtension sdk = new JsapiServiceExtension.Builder()
                .config(new RSAPublicKeyConfig.Builder()
                        .merchantId("1900009191").privateKey(MERCHANT.getPrivate()).merchantSerialNumber(SERIAL)
                        .publicKey(PLATFORM.getPublic()).publicKeyId("PUB_KEY_ID_0114232134912410000000000000")
                        .apiV3Key("a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb").build())
                .httpClient(new PrepayAnswering(PREPAY_ID))
                .build();
        PrepayWithRequestPaymentResponse theirs = sdk.prepayWithRequestPayment(prepayRequest());

        RequestPaymentSigner ours = new RequestPaymentSigner(APPID, MERCHANT.getPrivate(),
                TestClock.atEpochSecond(Long.parseLong(theirs.getTimeStamp())), theirs::getNonceStr);
        RequestPaymentSigner.RequestPayment payment = ours.sign(PREPAY_ID);

        // RSASSA-PKCS1-v1_5 is deterministic, so equal messages give equal paySigns
        assertThat(payment.paySign()).isEqualTo(theirs.getPaySign());
        assertThat(payment.packageValue()).isEqualTo(theirs.getPackageVal());
        assertThat(payment.signType()).isEqualTo(theirs.getSignType());
    }

    @Test
    void serialisesPackageUnderItsWireName() throws Exception {
        RequestPaymentSigner.RequestPayment payment = signer.sign(PREPAY_ID);

        assertThat(new ObjectMapper().writeValueAsString(payment)).isEqualTo("{\"timeStamp\":\"1414561699\","
                + "\"nonceStr\":\"5K8264ILTKCH16CQ2502SI8ZNMTM67VS\","
                + "\"package\":\"prepay_id=wx201410272009395522657a690389285100\","
                + "\"signType\":\"RSA\",\"paySign\":\"" + payment.paySign() + "\"}");
        assertThat(payment.toMap()).containsExactly(
                Map.entry("timeStamp", "1414561699"),
                Map.entry("nonceStr", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
                Map.entry("package", "prepay_id=wx201410272009395522657a690389285100"),
                Map.entry("signType", "RSA"),
                Map.entry("paySign", payment.paySign()));
    }

    private static PrepayRequest prepayRequest() {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(APPID);
        request.setMchid("1900009191");
        request.setDescription("Image形象店-深圳腾大-QQ公仔");
        request.setOutTradeNo("1217752501201407033233368018");
        request.setNotifyUrl("https://www.weixin.qq.com/wxpay/pay.php");
        Amount amount = new Amount();
        amount.setTotal(100);
        request.setAmount(amount);
        Payer payer = new Payer();
        payer.setOpenid("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
        request.setPayer(payer);
        return request;
    }

    /** Stands in for WeChat Pay: answers the JSAPI order with a prepay_id, without a network. */
    private record PrepayAnswering(String prepayId) implements HttpClient {

        @Override
        public <T> HttpResponse<T> execute(HttpRequest request, Class<T> responseClass) {
            OriginalResponse response = new OriginalResponse.Builder()
                    .request(request).statusCode(200).headers(Map.of()).contentType("application/json")
                    .body("{\"prepay_id\":\"" + prepayId + "\"}").build();
            return new HttpResponse.Builder<T>().originalResponse(response).serviceResponseType(responseClass).build();
        }

        @Override
        public InputStream download(String url) {
            throw new UnsupportedOperationException(url);
        }
    }
}
