package org.imgpipe.imaging;

/** Helpers for client-safe message texts. */
final class Texts {

  private Texts() {}

  /** Client input echoed in a message: at most 64 characters, control characters replaced. */
  static String clip(String s) {
    if (s == null) {
      return "";
    }
    String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    StringBuilder b = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }
}
