package org.imgpipe.imaging;

import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The arrays of at least a threshold size that the current thread allocates between construction and
 * {@link #stop}, summed as if all were live at once, from JFR's record of allocations outside TLABs. In
 * the test JVM (1 GB heap, G1 regions of 1 MB) every array of half a region or more is humongous, so
 * none escapes the record. It measures the memory that holds pixels where a thread's allocation count
 * does not: ImageIO's readers and writers copy each row through a scratch array of their own (a
 * progressive JPEG: 12 bytes a pixel per pass), garbage at once, which the allocation count includes and
 * the live peak does not.
 */
public final class LargeArrays {

  /** Half a G1 region at a 1 GB heap: the smallest humongous object. */
  public static final long HUMONGOUS = 512 * 1024;

  private final Recording recording = new Recording();
  private long largest;
  private int count;

  public LargeArrays() {
    recording.enable("jdk.ObjectAllocationOutsideTLAB");
    recording.start();
  }

  /** Stops recording; the sum of this thread's allocations of at least {@code threshold} bytes. */
  public long stop(long threshold) throws Exception {
    recording.stop();
    Path file = Files.createTempFile("alloc", ".jfr");
    try {
      recording.dump(file);
      long self = Thread.currentThread().getId();
      long sum = 0;
      for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
        RecordedThread t = e.getThread("eventThread");
        long size = e.getLong("allocationSize");
        if (t != null && t.getJavaThreadId() == self && size >= threshold) {
          sum += size;
          count++;
          largest = Math.max(largest, size);
        }
      }
      return sum;
    } finally {
      recording.close();
      Files.deleteIfExists(file);
    }
  }

  /** How many arrays {@link #stop} counted. */
  public int count() {
    return count;
  }
}
