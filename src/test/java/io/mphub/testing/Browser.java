package io.mphub.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven by Selenium: Debian's {@code chromium} and {@code chromium-driver} packages, which
 * {@code .ci/run} installs. Started with no network of its own (this machine has none) and a fresh profile.
 */
public final class Browser {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private Browser() {
    }

    public static ChromeDriver start(Dimension window) throws IOException {
        for (String program : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(Path.of(program))) {
                throw new IllegalStateException(program + " is missing: install Debian's chromium and chromium-driver"
                        + " packages (bash .ci/run does)");
            }
        }
        Path profile = Files.createTempDirectory("mphub-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(window);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        return driver;
    }
}
