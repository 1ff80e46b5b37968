package org.imgpipe.demo;

import java.util.Map;

/** One image of a batch: its number, the output file name, the encoded bytes and the process_image options. */
public record BatchItem(int index, String name, byte[] image, Map<String, Object> options) {}
