package com.streamloom.spec;

/** The kinds of value a stage parameter can take. */
public enum ParamType {
    INT, DOUBLE, BOOLEAN, STRING, ENUM
}
