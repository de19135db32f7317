package com.streamloom.deploy.system;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/** Reading what a browser shows: an element's screenshot, and the brightness and colour of bands of it. */
final class Screenshots {
    private Screenshots() {
    }

    static BufferedImage screenshot(WebElement e) {
        try {
            return ImageIO.read(new ByteArrayInputStream(e.getScreenshotAs(OutputType.BYTES)));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Share of near-white pixels in a horizontal band (fractions of the height). */
    static double brightShare(BufferedImage img, double fromY, double toY) {
        long bright = 0;
        long n = 0;
        for (int y = (int) (img.getHeight() * fromY); y < img.getHeight() * toY; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                if (r > 200 && g > 200 && b > 200) {
                    bright++;
                }
                n++;
            }
        }
        return (double) bright / n;
    }

    /** Mean R, G, B of a vertical band (fractions of the width), middle half of the height. */
    static double[] meanRgb(BufferedImage img, double fromX, double toX) {
        double[] sum = new double[3];
        long n = 0;
        for (int y = img.getHeight() / 4; y < img.getHeight() * 3 / 4; y += 2) {
            for (int x = (int) (img.getWidth() * fromX); x < img.getWidth() * toX; x += 2) {
                int rgb = img.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xff;
                sum[1] += (rgb >> 8) & 0xff;
                sum[2] += rgb & 0xff;
                n++;
            }
        }
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    static boolean isRed(double[] rgb) {
        return rgb[0] > rgb[1] + 60 && rgb[0] > rgb[2] + 60;
    }
}
