package io.gamestate.devstack.scorecard.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Renders the fixtures and opens scorecard.html in a real headless Chromium from a file:// URL.
 * Chromium and ChromeDriver come from Debian (scripts/install-servers.sh); without them this
 * fails rather than skips, so a CI machine that missed the script shows it.
 */
class ScorecardPageBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path work;

    private static WebDriver browser;
    private static List<LogEntry> severe;

    @BeforeAll
    static void render() {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("Chromium (" + CHROMIUM + ") and ChromeDriver (" + CHROMEDRIVER + ") are needed: "
                        + "run scripts/install-servers.sh (as root) first")
                .isTrue();
        Path dir = Fixtures.copy("fixtures", work.resolve("scorecard"));
        ScorecardReportCommand.write(dir);

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
        browser.get(dir.resolve("scorecard.html").toUri().toString());
        severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePageLoadsWithoutBrowserErrors() {
        assertThat(browser.getTitle()).isEqualTo("Game-state PoC scorecard");
        assertThat(severe).as("SEVERE browser log entries").isEmpty();
    }

    @Test
    void everyScenarioOfTheFixturesHasItsCharts() {
        for (String scenario : ScenarioTables.SCENARIO_ORDER) {
            List<WebElement> charts = browser.findElements(
                    By.cssSelector("section.scenario[data-scenario='" + scenario + "'] > .charts > svg.chart"));
            assertThat(charts).as(scenario).hasSizeGreaterThanOrEqualTo(2);
        }
        assertThat(browser.findElements(By.cssSelector("section[data-scenario='ramp'] svg.ramp-curve line.bound"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("svg.chart.series"))).isNotEmpty();
    }

    @Test
    void theCriteriaTableHasAColumnPerStoreAndEveryMeasuredRowACellForEach() {
        List<String> stores = browser.findElements(By.cssSelector("table.criteria thead th.store")).stream()
                .map(th -> th.getAttribute("data-store")).toList();
        assertThat(stores).containsExactly("postgres", "mariadb", "cockroachdb", "yugabytedb", "tidb", "mongodb",
                "dynamodb", "cosmosdb", "foundationdb", "khepri");
        assertThat(browser.findElements(By.cssSelector("table.criteria thead th.store.not-runnable"))).hasSize(8);
        List<WebElement> measured = browser.findElements(By.cssSelector("tbody.measured-criteria tr.measured"));
        assertThat(measured).hasSizeGreaterThanOrEqualTo(10);
        for (WebElement row : measured) {
            assertThat(row.findElements(By.cssSelector("td.cell"))).hasSize(stores.size());
        }
        assertThat(browser.findElements(By.cssSelector("td.cell.met"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("td.cell.near"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("td.cell.missed"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("td.cell.not-measured[data-store='cosmosdb']"))).hasSize(measured.size());
    }

    @Test
    void documentedRowsComeAfterTheMeasuredOnesMarkedApartWithSources() {
        WebElement heading = browser.findElement(By.cssSelector("tbody.documented-criteria tr.documented-heading"));
        assertThat(heading.getText()).contains("Documented, not measurable on this machine");
        assertThat(heading.findElement(By.tagName("th")).getCssValue("background-color")).isNotEqualTo(
                browser.findElement(By.cssSelector("tbody.measured-criteria th")).getCssValue("background-color"));
        List<WebElement> documented = browser.findElements(By.cssSelector("tbody.documented-criteria tr.documented"));
        assertThat(documented).extracting(WebElement::getText).anyMatch(t -> t.startsWith("Licensing & cost"))
                .anyMatch(t -> t.startsWith("Elixir drivers & Ecto adapters"));
        for (WebElement row : documented) {
            assertThat(row.findElements(By.cssSelector("td.cell.documented a[href^='https://']"))).hasSize(10);
        }
    }
}
