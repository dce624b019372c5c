package dev.ripcord.worker.codec;

import dev.ripcord.worker.RipcordProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets the Temporal UI's pages call the codec server from the browser: only the configured origins, only POST, only
 * the headers the UI sends ({@code Content-Type}, {@code X-Namespace}, {@code Authorization}, and
 * {@code Authorization-Extras}, the ID token, which the codec does not read). Credentials (cookies) are never needed:
 * the UI forwards its access token as a header.
 */
@Configuration(proxyBeanMethods = false)
public class CodecCors implements WebMvcConfigurer {
  private final RipcordProperties props;

  public CodecCors(RipcordProperties props) {
    this.props = props;
  }

  @Override
  public void addCorsMappings(CorsRegistry registry) {
    if (props.codec().allowedOrigins().isEmpty()) {
      return;
    }
    registry.addMapping("/codec/**").allowedOrigins(props.codec().allowedOrigins().toArray(String[]::new))
        .allowedMethods("POST").allowedHeaders("Content-Type", "X-Namespace", "Authorization", "Authorization-Extras")
        .allowCredentials(false).maxAge(600);
  }
}
