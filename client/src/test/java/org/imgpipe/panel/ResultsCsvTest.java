package org.imgpipe.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV export never lets a server's text become a spreadsheet formula (OWASP CSV injection). */
class ResultsCsvTest {

  @Test
  void fieldsAFormulaWouldStartWithAreWrittenAsText() {
    assertEquals("'=HYPERLINK(\"\"http://x\"\")", unquoted(ResultsCsv.quote("=HYPERLINK(\"http://x\")")));
    assertEquals("'+1+cmd|' /C calc'!A0", ResultsCsv.quote("+1+cmd|' /C calc'!A0"));
    assertEquals("'-2+3", ResultsCsv.quote("-2+3"));
    assertEquals("'@SUM(A1:A9)", ResultsCsv.quote("@SUM(A1:A9)"));
    assertEquals("'\t=1", ResultsCsv.quote("\t=1"));
    assertEquals("\"'\r=1\"", ResultsCsv.quote("\r=1"));
  }

  @Test
  void ordinaryFieldsAreUnchanged() {
    assertEquals("Processing completed successfully", ResultsCsv.quote("Processing completed successfully"));
    assertEquals("42", ResultsCsv.quote("42"));
    assertEquals("", ResultsCsv.quote(""));
    assertEquals("", ResultsCsv.quote(null));
    assertEquals("a=b", ResultsCsv.quote("a=b"));
    assertEquals("\"Filter failed: bad \"\"value\"\", try again\"", ResultsCsv.quote("Filter failed: bad \"value\", try again"));
  }

  @Test
  void aServerMessageInARowCannotStartAFormula() {
    String line = ResultsCsv.line(List.of("1", "x.png", "false", "=cmd|'/C calc'!A0", "-5", "@x"));
    assertEquals("1,x.png,false,'=cmd|'/C calc'!A0,'-5,'@x\r\n", line);
    for (String field : line.trim().split(",")) {
      assertFalse(field.startsWith("=") || field.startsWith("+") || field.startsWith("-") || field.startsWith("@"),
          field);
    }
    assertTrue(line.contains("'=cmd"));
  }

  private static String unquoted(String field) {
    return field.startsWith("\"") ? field.substring(1, field.length() - 1) : field;
  }
}
