package io.headlessdns.server.table;

/**
 * Builds an {@link EncodedAnswer} from wire bytes, for tests of the query side with shapes the compiler
 * does not make today (an A RRset with an additional section).
 */
public final class EncodedAnswers {
    private EncodedAnswers() {
    }

    public static EncodedAnswer of(byte[] data, int answerCount, int answerLength, int additionalCount, int[] rrEnds) {
        return new EncodedAnswer(data, answerCount, answerLength, additionalCount, rrEnds);
    }
}
