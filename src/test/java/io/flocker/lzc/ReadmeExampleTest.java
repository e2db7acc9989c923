package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** The README's "use the binding" example compiles against the current API. */
class ReadmeExampleTest {

    @Test
    void readmeBindingExampleCompiles() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Use the binding");
        assertTrue(section >= 0, "README has a 'Use the binding' section");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        String code = readme.substring(start, readme.indexOf("```", start));
        JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///BindingExample.java"),
            JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path out = Files.createTempDirectory("readme-example");
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(errors, null, null,
            List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path")), null, List.of(source)).call();
        assertTrue(ok, "the README example does not compile:\n" + errors);
    }
}
