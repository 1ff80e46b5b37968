package org.imgpipe.demo;

/** The images of a batch, made or read one at a time so a long batch does not hold them all in memory. */
public interface BatchSource {

  /** Number of images; items are numbered 1..size(). */
  int size();

  /** Image {@code index} (1-based) with its file name and process_image options. */
  BatchItem item(int index) throws java.io.IOException;

  /** One line saying what the batch is, for banners and logs. */
  String describe();
}
