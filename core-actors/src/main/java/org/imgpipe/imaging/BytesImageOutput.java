package org.imgpipe.imaging;

import java.util.Arrays;
import javax.imageio.stream.ImageOutputStreamImpl;

/**
 * An ImageIO output stream into a growing byte array (writers may seek back to fill in sizes).
 * ImageIO's own stream over an OutputStream caches everything written and copies it out at the end:
 * the encoded image once more in memory.
 */
final class BytesImageOutput extends ImageOutputStreamImpl {

  private byte[] buf = new byte[8192];
  private int length;

  @Override
  public void write(int b) {
    alignToByte();
    ensure(streamPos + 1);
    buf[(int) streamPos++] = (byte) b;
    length = Math.max(length, (int) streamPos);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (off < 0 || len < 0 || off > b.length - len) {
      throw new IndexOutOfBoundsException();
    }
    alignToByte();
    ensure(streamPos + len);
    System.arraycopy(b, off, buf, (int) streamPos, len);
    streamPos += len;
    length = Math.max(length, (int) streamPos);
  }

  /** Completes a partly written byte (ImageOutputStreamImpl's bit writing) before whole bytes. */
  private void alignToByte() {
    if (bitOffset != 0) {
      try {
        flushBits(); // reads the partial byte (bitOffset back to 0) and writes it through write(int)
      } catch (java.io.IOException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
  }

  private void ensure(long size) {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("the encoded image would be larger than 2 GB");
    }
    if (size > buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(size, 2L * buf.length)));
    }
  }

  @Override
  public int read() {
    bitOffset = 0;
    return streamPos < length ? buf[(int) streamPos++] & 0xFF : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    bitOffset = 0;
    if (len == 0) {
      return 0;
    }
    if (streamPos >= length) {
      return -1;
    }
    int n = (int) Math.min(len, length - streamPos);
    System.arraycopy(buf, (int) streamPos, b, off, n);
    streamPos += n;
    return n;
  }

  @Override
  public long length() {
    return length;
  }

  /** What was written, in an array of its exact size. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, length);
  }
}
