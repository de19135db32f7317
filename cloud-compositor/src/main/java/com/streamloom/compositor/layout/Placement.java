package com.streamloom.compositor.layout;

/**
 * Where one input goes on the canvas: the cell it owns ({@code cell}) and its stacking order ({@code z}, higher
 * is drawn later, on top). The picture itself is letterboxed inside the cell with {@link Box#fit}, because the
 * input's size is only known frame by frame (inputs differ in resolution).
 *
 * @param input index into {@code CompositionSpec.inputs()}
 */
public record Placement(int input, Box cell, int z) {
}
