package io.gamestate.gatling;

/** A simulation's own summary, printed after the run between markers that run.sh picks out of Gatling's output. */
final class RunSummary {

    static final String END = "---- end of summary ----";

    private RunSummary() {
    }

    static void print(String title, String body) {
        System.out.println("---- summary: " + title + " ----");
        System.out.print(body.endsWith("\n") ? body : body + "\n");
        System.out.println(END);
    }
}
