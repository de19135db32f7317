package com.streamloom.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.streamloom.spec.node.Heartbeat;
import com.streamloom.spec.node.NodeLoad;
import com.streamloom.spec.node.PipelineStatus;
import com.streamloom.spec.node.PublishCheck;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Every JSON body is read strictly: a field the API does not know ({@code "encoding":{"bitrate":3000}}, a typo of
 * {@code bitrateKbps}) and a value of the wrong type ({@code "name":123}, {@code "bitrateKbps":"3000"},
 * {@code 2.5} for a whole number, {@code 1} for true) are refused with a 400 naming the field, instead of being
 * dropped or converted so that the request does something other than what it says.
 *
 * <p>What nodes send (heartbeats, publish checks) is the control-plane protocol: there an unknown field is ignored,
 * so a node that is newer than the control API, with fields the API does not know yet, still reports during a
 * rolling upgrade (the nodes read the API's answers the same way). Types are checked there too.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** The protocol records nodes send, read tolerantly of fields added by newer nodes. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    interface ProtocolRecord {
    }

    @Override
    public void customize(ObjectMapper mapper) {
        for (Class<?> sent : new Class<?>[]{Heartbeat.class, NodeLoad.class, PipelineStatus.class,
                PublishCheck.Request.class}) {
            mapper.addMixIn(sent, ProtocolRecord.class);
        }
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (CoercionInputShape shape : new CoercionInputShape[]{CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType scalar : new LogicalType[]{LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
                LogicalType.Enum}) {
            mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }
}
