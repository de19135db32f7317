/** Contracts shared by every process: pipeline specs, composition specs, the node agent protocol. */
package com.streamloom.spec;
