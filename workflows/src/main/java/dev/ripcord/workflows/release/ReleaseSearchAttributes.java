package dev.ripcord.workflows.release;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/** The custom search attributes a release keeps current (register them once per namespace, all Keyword). */
public final class ReleaseSearchAttributes {
  public static final SearchAttributeKey<String> MODEL = SearchAttributeKey.forKeyword("RipcordModel");
  public static final SearchAttributeKey<String> CANDIDATE = SearchAttributeKey.forKeyword("RipcordCandidate");
  public static final SearchAttributeKey<String> STAGE = SearchAttributeKey.forKeyword("RipcordStage");
  public static final SearchAttributeKey<String> STATE = SearchAttributeKey.forKeyword("RipcordState");
  public static final List<SearchAttributeKey<String>> ALL = List.of(MODEL, CANDIDATE, STAGE, STATE);

  private ReleaseSearchAttributes() {}
}
