package io.mphub.provider.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class V2XmlTest {

    @TempDir
    Path tmp;

    @Test
    void readsWeChatPaysCdataAnswer() {
        Map<String, String> answer = V2Xml.read("<xml><return_code><![CDATA[SUCCESS]]></return_code>"
                + "<return_msg><![CDATA[OK]]></return_msg><prepay_id><![CDATA[wx2014]]></prepay_id>"
                + "<err_code_des><![CDATA[余额不足]]></err_code_des></xml>");

        assertThat(answer).containsEntry("return_code", "SUCCESS").containsEntry("prepay_id", "wx2014")
                .containsEntry("err_code_des", "余额不足");
    }

    @Test
    void writesEscapedValuesThatReadBackUnchanged() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("body", "Tea <&> \"]]>\" 乌龙");
        params.put("total_fee", "1999");

        String xml = V2Xml.write(params);

        assertThat(xml).startsWith("<xml><body>").doesNotContain("<&>");
        assertThat(V2Xml.read(xml)).isEqualTo(params);
    }

    @Test
    void externalEntityIsRefusedAndTheFileNeverRead() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<xml><return_code>&x;</return_code></xml>";

        assertThatThrownBy(() -> V2Xml.read(xxe)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DOCTYPE").hasMessageNotContaining("TOP-SECRET");
    }

    @Test
    void entityExpansionBombIsRefused() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
                + "<xml><return_code>&b;</return_code></xml>";

        assertThatThrownBy(() -> V2Xml.read(bomb)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherDocumentsAreNotV2Messages() {
        assertThatThrownBy(() -> V2Xml.read("<html><body>502</body></html>")).hasMessageContaining("root is <html>");
        assertThatThrownBy(() -> V2Xml.read("{\"code\":\"SYSTEM_ERROR\"}")).isInstanceOf(IllegalArgumentException.class);
    }
}
